"""The public API and the package doors: every name resolves, every verb is documented, and
importing the door costs nothing until a name is used."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys

import pytest

import beltroad as br
from beltroad.errors import ValidationFailed, check_choice

DOORS = ("beltroad.store", "beltroad.transport", "beltroad.trade", "beltroad.analysis", "beltroad.ingest")
#: every package door, for what all of them promise
ALL_DOORS = (*DOORS, "beltroad", "beltroad.sweep", "beltroad.importers", "beltroad.compute", "beltroad.data")


def test_the_public_api_offers_the_verbs_and_the_errors() -> None:
    verbs = {
        "open_store",
        "profile",
        "compare",
        "route",
        "run_scenario",
        "estimate",
        "counterfactual",
        "impact",
    }
    assert verbs <= set(br.__all__)
    assert "BeltroadError" in br.__all__ and "ValidationFailed" in br.__all__
    assert br.__version__


@pytest.mark.parametrize("name", br.__all__)
def test_every_public_name_is_documented(name: str) -> None:
    obj = getattr(br, name)
    doc = inspect.getdoc(obj) or ""
    if inspect.isclass(obj):
        assert issubclass(obj, br.BeltroadError), f"{name} is a class but not an error"
        assert doc, f"{name} has no docstring"
        return
    assert callable(obj), f"{name} is neither a verb nor an error"
    for section in ("Parameters\n----------", "Returns\n-------", "Examples\n--------"):
        assert section in doc, f"{name}'s docstring lacks its {section.splitlines()[0]} section"
    documented = set()
    lines = doc.split("Parameters\n----------", 1)[1].split("Returns\n-------", 1)[0].splitlines()
    for line in lines:
        if line and not line.startswith(" "):
            documented.update(part.strip() for part in line.split(":")[0].split(","))
    missing = set(inspect.signature(obj).parameters) - documented
    assert not missing, f"{name} does not document {', '.join(sorted(missing))}"


@pytest.mark.parametrize("door", DOORS)
def test_every_name_of_a_door_resolves(door: str) -> None:
    module = importlib.import_module(door)
    assert len(set(module.__all__)) == len(module.__all__)
    assert set(module.__all__) <= set(dir(module))
    for name in module.__all__:
        assert getattr(module, name) is not None
    # a name that is also a submodule's would turn into the module once the submodule is imported
    submodules = {m.name for m in pkgutil.iter_modules(module.__path__)}
    assert not submodules & set(module.__all__)
    with pytest.raises(AttributeError, match="has no attribute 'nothing_here'"):
        _ = module.nothing_here


def test_importing_the_package_loads_no_heavy_library() -> None:
    code = (
        "import sys, beltroad, beltroad.transport, beltroad.trade, beltroad.analysis; "
        "print(sorted(m for m in ('pyfixest', 'scipy', 'duckdb', 'spacy', 'matplotlib', 'sqlalchemy') "
        "if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"


def test_check_choice_names_the_vocabulary_and_returns_the_member() -> None:
    assert check_choice("rail", ("rail", "road"), "mode") == "rail"
    with pytest.raises(ValidationFailed, match=r"^unknown mode 'air'; choose one of rail, road$"):
        check_choice("air", ("rail", "road"), "mode")


def test_only_check_choice_words_the_choice() -> None:
    from pathlib import Path

    root = Path(br.__file__).parent
    hits = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "choose one of" in line
    ]
    assert hits and all(hit.startswith("errors.py:") for hit in hits), hits


@pytest.mark.parametrize("door", ALL_DOORS)
def test_no_entry_point_of_a_door_returns_an_untyped_dictionary(door: str) -> None:
    """Issue 14: every function a door offers, and every public method of a class it offers,
    declares what it returns (a result, a TypedDict, a typed mapping), never ``dict[str, Any]``
    whose keys no type checker could follow. ``to_json`` is exempt: it is a result's JSON form. A
    record's own stored data is ``store.RecordData``, the JSON its pydantic model validates."""
    module = importlib.import_module(door)
    untyped = []
    for name in module.__all__:
        offered = getattr(module, name)
        if inspect.isfunction(offered):
            functions = [(name, offered)]
        elif inspect.isclass(offered):
            functions = [
                (f"{name}.{attr}", value)
                for attr, value in vars(offered).items()
                if inspect.isfunction(value) and not attr.startswith("_") and attr != "to_json"
            ]
        else:
            continue
        for label, function in functions:
            returned = str(function.__annotations__.get("return", ""))
            if "dict[str, Any]" in returned:
                untyped.append(f"{label} -> {returned}")
    assert not untyped, untyped
