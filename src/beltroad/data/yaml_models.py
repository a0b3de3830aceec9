"""A YAML file read into a pydantic model, every problem one line naming the file and the field.

Scenario files, sweep specs and the World Bank study's projects are all hand-written YAML that
users edit; a bad one must say where it is wrong (the line of a syntax error, the field of a bad
value) rather than show a parser's traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from beltroad.errors import ValidationFailed

M = TypeVar("M", bound=BaseModel)


def _joined(loc: tuple[int | str, ...], _raw: Any) -> str:
    return ".".join(map(str, loc)) or "file"


def read_model(
    path: Path, model: type[M], *, where: Callable[[tuple[int | str, ...], Any], str] = _joined
) -> M:
    """The file's content validated as ``model``.

    Parameters
    ----------
    path
        The YAML file.
    model
        The pydantic model of its content.
    where
        How a field's location is written in a message, from the location and the parsed YAML
        (the study's projects name the project instead of its index).

    Raises
    ------
    ValidationFailed
        Not UTF-8, not YAML (with the line and column), or a field the model refuses.
    """
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        msg = f"{path.name}: not valid YAML{line}: {problem}"
        raise ValidationFailed(msg) from None
    except UnicodeDecodeError as exc:
        msg = f"{path.name}: not UTF-8 text (byte {exc.start})"
        raise ValidationFailed(msg) from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{where(tuple(e['loc']), raw)}: {e['msg']}" for e in exc.errors())
        msg = f"{path.name}: {problems}"
        raise ValidationFailed(msg) from None
