"""The shared compute layer: many independent tasks (bootstrap draws, scenario sweeps) on Ray.

The package's one door (``beltroad._lazy``): Ray is imported only when work is sent to it.
"""

from typing import TYPE_CHECKING

from beltroad._lazy import lazy_door

if TYPE_CHECKING:
    from beltroad.compute.tasks import (
        TaskFailure as TaskFailure,
        run_tasks as run_tasks,
        shutdown as shutdown,
        start as start,
        workers as workers,
    )

__getattr__, __dir__, __all__ = lazy_door(__name__, __file__)
