"""beltroad: a sourced knowledge base and models of economic cooperation under the Belt and Road Initiative."""

from __future__ import annotations

__version__ = "0.1.0"
