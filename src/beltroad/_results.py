"""The base of beltroad's typed results: frozen dataclasses that render themselves as JSON.

The CLI, the web API and reports all render the one object an analysis returns, through
``to_json()``, so a figure cannot read differently in two places. A field's JSON key can differ
from its Python name (``origin`` is ``"from"``), and a field that only some results carry (a
route's scenario) is left out of the JSON when it is None.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any


def key(name: str, *, omit_none: bool = False) -> dict[str, Any]:
    """Field metadata: the JSON key, and whether None leaves the key out."""
    return {"json": name, "omit_none": omit_none}


#: metadata of a field left out of the JSON when None
OPTIONAL: dict[str, Any] = {"omit_none": True}
#: metadata of a field for Python callers only (a solver's arrays, a library's fit object): never
#: in the JSON, not compared, not in the repr
PYTHON_ONLY: dict[str, Any] = {"in_json": False}


def plain(value: Any) -> Any:
    """A value as JSON-ready Python: results, dataclasses, tuples and mappings all the way down."""
    if isinstance(value, Result):
        return value.to_json()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


@dataclasses.dataclass(frozen=True)
class Result:
    """A frozen result with a JSON form."""

    def to_json(self) -> dict[str, Any]:
        """The result as a JSON-ready dictionary, keys in field order.

        Returns
        -------
        dict
            Plain Python values only (dicts, lists, strings, numbers, booleans, None).
        """
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            if f.metadata.get("in_json") is False:
                continue
            value = getattr(self, f.name)
            if value is None and f.metadata.get("omit_none"):
                continue
            out[f.metadata.get("json", f.name)] = plain(value)
        return out
