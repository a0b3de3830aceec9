"""The store: the only door to the tables (engines, migrations, reads, the one writer, the review
queue, checks). Tables are private (``_tables``); callers ask for what they need here.

The package's one door (``beltroad._lazy``): siblings, front ends and tests import from here.
"""

from typing import TYPE_CHECKING

from beltroad._lazy import lazy_door

if TYPE_CHECKING:
    from beltroad.store.check import (
        check_store as check_store,
    )
    from beltroad.store.editing import (
        add_user as add_user,
        authenticate as authenticate,
        cite_record as cite_record,
        create_record as create_record,
        list_users as list_users,
        note_token_use as note_token_use,
        record_history as record_history,
        retire_record as retire_record,
        revoke_user as revoke_user,
        token_use_due as token_use_due,
        update_record as update_record,
    )
    from beltroad.store.engine import (
        engine_from_url as engine_from_url,
        migrate as migrate,
        schema_is_current as schema_is_current,
    )
    from beltroad.store.figures import (
        BRI_YEAR as BRI_YEAR,
        CountryFigure as CountryFigure,
        CountryFigures as CountryFigures,
        FigureSeries as FigureSeries,
        bri_signing_years as bri_signing_years,
        country_figure_series as country_figure_series,
        country_figures as country_figures,
    )
    from beltroad.store.geo import (
        LAYERS as LAYERS,
        MAX_FEATURES as MAX_FEATURES,
        layer_geojson as layer_geojson,
        observation_series as observation_series,
        record_places as record_places,
        series_index as series_index,
        view_kinds as view_kinds,
    )
    from beltroad.store.lifecycle import (
        ensure_store as ensure_store,
        load_knowledge_base as load_knowledge_base,
        require_store as require_store,
    )
    from beltroad.store.locking import (
        BUSY_MESSAGE as BUSY_MESSAGE,
        lock_timed_out as lock_timed_out,
        take_write_lock as take_write_lock,
        writing as writing,
    )
    from beltroad.store.queries import (
        MAX_OFFSET as MAX_OFFSET,
        SORT_CHOICES as SORT_CHOICES,
        Filters as Filters,
        citations_for as citations_for,
        counts_by_kind as counts_by_kind,
        facet_counts as facet_counts,
        facet_values as facet_values,
        get_record as get_record,
        list_records as list_records,
        record_batches as record_batches,
        resolve as resolve,
        search_records as search_records,
    )
    from beltroad.store.queue import (
        candidate_row as candidate_row,
        pending_candidates as pending_candidates,
        queue_candidates as queue_candidates,
        record_decision as record_decision,
        set_candidate_data as set_candidate_data,
    )
    from beltroad.store.read import (
        corridors as corridors,
        country_place_of as country_place_of,
        country_places as country_places,
        curated_places as curated_places,
        kinds_stamp as kinds_stamp,
        linking as linking,
        live_actors as live_actors,
        live_place_named as live_place_named,
        live_records_of_kind as live_records_of_kind,
        load_record as load_record,
        load_records as load_records,
        located_places as located_places,
        observation_rows as observation_rows,
        partnership_ends as partnership_ends,
        per_store_version as per_store_version,
        place_data as place_data,
        place_point as place_point,
        projects_in_both as projects_in_both,
        record_brief as record_brief,
        record_exists as record_exists,
        record_ids as record_ids,
        record_kind_and_data as record_kind_and_data,
        record_name as record_name,
        source_exists as source_exists,
        sources_data as sources_data,
        store_version as store_version,
        store_versions as store_versions,
        subjects_of_observations as subjects_of_observations,
    )
    from beltroad.store.sources import (
        SOURCE_FIELDS as SOURCE_FIELDS,
        get_source as get_source,
        list_sources as list_sources,
    )
    from beltroad.store.views import (
        CandidateRow as CandidateRow,
        CitationView as CitationView,
        CitingRecord as CitingRecord,
        CorridorCountries as CorridorCountries,
        CountryRef as CountryRef,
        FacetCount as FacetCount,
        FacetValues as FacetValues,
        FigureView as FigureView,
        HistoryEntry as HistoryEntry,
        LinkView as LinkView,
        NamedRef as NamedRef,
        NameMatch as NameMatch,
        ObservationFields as ObservationFields,
        ObservationSeries as ObservationSeries,
        Problem as Problem,
        RecordData as RecordData,
        RecordPage as RecordPage,
        RecordPlaces as RecordPlaces,
        RecordSummary as RecordSummary,
        RecordView as RecordView,
        SearchHit as SearchHit,
        SeriesEntry as SeriesEntry,
        SeriesPoint as SeriesPoint,
        SourceBrief as SourceBrief,
        SourceView as SourceView,
        StoreCheck as StoreCheck,
        UserView as UserView,
    )
    from beltroad.store.writer import (
        bump_version as bump_version,
        insert_rows as insert_rows,
        rows_for_record as rows_for_record,
        upsert_sources as upsert_sources,
        write_records as write_records,
    )

__getattr__, __dir__, __all__ = lazy_door(__name__, __file__)
