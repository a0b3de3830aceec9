"""Package doors that import on first use.

A door lists what a package offers; the module behind a name is imported only when the name is
first read, so ``import beltroad`` stays cheap and a name whose optional extra is missing (the
transport networks, say) fails only when used, with that extra's own message. Type checkers see
the same names through each door's ``TYPE_CHECKING`` imports.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_door(
    package: str, modules: Mapping[str, tuple[str, ...]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A module ``__getattr__`` and ``__dir__`` resolving the names each module defines.

    Parameters
    ----------
    package
        The door's own module name (``__name__``), for the error of an unknown attribute.
    modules
        Each module path and the public names the door takes from it.

    Returns
    -------
    tuple
        ``(__getattr__, __dir__)`` to assign in the door's module.
    """

    names = {name: module for module, offered in modules.items() for name in offered}

    def __getattr__(name: str) -> Any:  # noqa: N807 (the module hook PEP 562 names)
        module = names.get(name)
        if module is None:
            msg = f"module {package!r} has no attribute {name!r}"
            raise AttributeError(msg)
        return getattr(importlib.import_module(module), name)

    def __dir__() -> list[str]:  # noqa: N807
        return sorted(names)

    return __getattr__, __dir__
