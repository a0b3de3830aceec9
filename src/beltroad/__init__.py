"""beltroad: a sourced knowledge base and models of economic cooperation under the Belt and Road Initiative.

The public API, for notebooks and scripts::

    import beltroad as br

    store = br.open_store(create=True)
    br.profile("Belarusian-style town", store=store)
    br.route("Chongqing", "Duisburg", mode="rail")
    br.run_scenario("tongjiang-railway-bridge")
    br.estimate(path, "trade ~ log_dist + cntg | exp_year + imp_year")

Each verb loads what it needs on first use (pyfixest, the transport networks), so ``import
beltroad`` is cheap. Errors a user can act on are ``br.BeltroadError`` and its subclasses, each
also the built-in it behaves like (``ValueError``, ``LookupError``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from beltroad._lazy import lazy_door

__version__ = "0.1.0"

if TYPE_CHECKING:
    from beltroad._verbs import (
        compare,
        counterfactual,
        estimate,
        impact,
        open_store,
        profile,
        route,
        run_scenario,
    )
    from beltroad.errors import (
        AmbiguousName,
        AuthenticationRequired,
        BeltroadError,
        ImportFailed,
        NotConverged,
        PermissionDenied,
        RecordNotFound,
        StoreError,
        ValidationFailed,
    )

__all__ = [
    "AmbiguousName",
    "AuthenticationRequired",
    "BeltroadError",
    "ImportFailed",
    "NotConverged",
    "PermissionDenied",
    "RecordNotFound",
    "StoreError",
    "ValidationFailed",
    "__version__",
    "compare",
    "counterfactual",
    "estimate",
    "impact",
    "open_store",
    "profile",
    "route",
    "run_scenario",
]
if not TYPE_CHECKING:  # type checkers read the imports above; a hook would hide missing names
    __getattr__, __dir__ = lazy_door(
        __name__,
        {
            "beltroad._verbs": (
                "open_store",
                "profile",
                "compare",
                "route",
                "run_scenario",
                "estimate",
                "counterfactual",
                "impact",
            ),
            "beltroad.errors": (
                "BeltroadError",
                "ValidationFailed",
                "RecordNotFound",
                "AmbiguousName",
                "ImportFailed",
                "StoreError",
                "AuthenticationRequired",
                "PermissionDenied",
                "NotConverged",
            ),
        },
    )
