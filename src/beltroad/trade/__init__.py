"""Trade between countries: bilateral panels, structural gravity estimation and general-equilibrium
counterfactuals (Yotov, Piermartini, Monteiro & Larch 2016)."""
