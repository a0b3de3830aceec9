"""Analyses over the knowledge base: the cooperation model now; transport and trade to come."""
