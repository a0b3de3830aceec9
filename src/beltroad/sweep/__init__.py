"""Sweeps: many projects × designs × parameter points of the market-access model, on Ray.

The package's one door (``beltroad._lazy``): front ends and tests import from here.
"""

from typing import TYPE_CHECKING

from beltroad._lazy import lazy_door

if TYPE_CHECKING:
    from beltroad.sweep.maps import (
        sweep_layer as sweep_layer,
        sweep_layers as sweep_layers,
        sweeps_dir as sweeps_dir,
    )
    from beltroad.sweep.market_size import (
        NationalGDP as NationalGDP,
        national_gdp as national_gdp,
        read_national_gdp as read_national_gdp,
    )
    from beltroad.sweep.run import (
        ProjectValue as ProjectValue,
        SweepSummary as SweepSummary,
        run_sweep as run_sweep,
    )
    from beltroad.sweep.spec import (
        DESIGNS as DESIGNS,
        SPECS as SPECS,
        SweepSpec as SweepSpec,
        load_spec as load_spec,
        spec_names as spec_names,
    )
    from beltroad.sweep.trade import (
        CountryTrade as CountryTrade,
        TradeEffects as TradeEffects,
        trade_effects as trade_effects,
    )

__getattr__, __dir__, __all__ = lazy_door(__name__, __file__)
