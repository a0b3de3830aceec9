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
        compare as compare,
        counterfactual as counterfactual,
        counterfactual_flows as counterfactual_flows,
        country_figures as country_figures,
        estimate as estimate,
        impact as impact,
        open_store as open_store,
        profile as profile,
        route as route,
        run_scenario as run_scenario,
    )
    from beltroad.errors import (
        AmbiguousName as AmbiguousName,
        AuthenticationRequired as AuthenticationRequired,
        BeltroadError as BeltroadError,
        ComputeFailed as ComputeFailed,
        ImportFailed as ImportFailed,
        NotConverged as NotConverged,
        PermissionDenied as PermissionDenied,
        RecordNotFound as RecordNotFound,
        StoreError as StoreError,
        ValidationFailed as ValidationFailed,
    )

__getattr__, __dir__, __all__ = lazy_door(__name__, __file__)
