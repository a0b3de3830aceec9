"""Package doors that import on first use.

A door lists what a package offers as the imports of its ``if TYPE_CHECKING:`` block: type
checkers read them as they are, and at run time ``lazy_door`` reads the same block from the
door's source, so each name is listed once and the module behind it is imported only when the
name is first read. ``import beltroad`` stays cheap, and a name whose optional extra is missing
(the transport networks, say) fails only when used, with that extra's own message.
"""

from __future__ import annotations

import ast
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _offered(source: Path) -> dict[str, str]:
    """Name → module of every ``from M import N as N`` inside the door's ``if TYPE_CHECKING:``."""
    tree = ast.parse(source.read_text(encoding="utf-8"))
    names: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom) and statement.module:
                    for alias in statement.names:
                        names[alias.asname or alias.name] = statement.module
    return names


def lazy_door(package: str, source: str) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """A module's ``__getattr__``, ``__dir__`` and ``__all__`` from its ``TYPE_CHECKING`` imports.

    Parameters
    ----------
    package
        The door's own module name (``__name__``), for the error of an unknown attribute.
    source
        The door's file (``__file__``), whose ``if TYPE_CHECKING:`` block lists what it offers.

    Returns
    -------
    tuple
        ``(__getattr__, __dir__, __all__)`` to assign in the door's module.
    """
    names = _offered(Path(source))

    def __getattr__(name: str) -> Any:  # noqa: N807 (the module hook PEP 562 names)
        module = names.get(name)
        if module is None:
            msg = f"module {package!r} has no attribute {name!r}"
            raise AttributeError(msg)
        return getattr(importlib.import_module(module), name)

    def __dir__() -> list[str]:  # noqa: N807
        return sorted(set(names) | set(vars(sys.modules[package])))

    return __getattr__, __dir__, sorted(names)
