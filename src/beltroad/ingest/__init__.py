"""Documents to records: readers, extraction of places, actors, dates, quantities and relations, the
review queue and the evaluation against gold annotations.

The package's one door (``beltroad._lazy``): siblings, front ends and tests import from here.
"""

from typing import TYPE_CHECKING

from beltroad._lazy import lazy_door

if TYPE_CHECKING:
    from beltroad.ingest.candidates import (
        ActorCandidate as ActorCandidate,
        Candidate as Candidate,
        DateCandidate as DateCandidate,
        Decision as Decision,
        Edited as Edited,
        Evaluation as Evaluation,
        PlaceCandidate as PlaceCandidate,
        QuantityCandidate as QuantityCandidate,
        RelationCandidate as RelationCandidate,
        Score as Score,
    )
    from beltroad.ingest.evaluation import (
        evaluate as evaluate,
    )
    from beltroad.ingest.extraction import (
        extract as extract,
    )
    from beltroad.ingest.multilingual import (
        LANGUAGES as LANGUAGES,
        detect_language as detect_language,
        extract_local as extract_local,
    )
    from beltroad.ingest.queue import (
        SOURCE_KINDS as SOURCE_KINDS,
        ingest_document as ingest_document,
        pending as pending,
    )
    from beltroad.ingest.readers import (
        read_document as read_document,
    )
    from beltroad.ingest.review import (
        decide as decide,
        describe as describe,
        edit as edit,
        needs as needs,
        require_editor as require_editor,
    )

__getattr__, __dir__, __all__ = lazy_door(__name__, __file__)
