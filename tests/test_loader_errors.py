"""A bad curated record stops the load with a message naming file, line, record and field, and
nothing is written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine

from beltroad.data import CURATED_DIR, load_curated_data
from beltroad.errors import ValidationFailed
from beltroad.store import counts_by_kind, get_record, load_knowledge_base, writer


@pytest.fixture
def curated_copy(tmp_path: Path) -> Path:
    target = tmp_path / "curated"
    shutil.copytree(CURATED_DIR, target)
    return target


def _edit(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {file}: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(folder: Path, file: str, record_id: str) -> int:
    lines = (folder / file).read_text(encoding="utf-8").splitlines()
    return next(i + 1 for i, line in enumerate(lines) if line.strip() == f"- id: {record_id}")


@pytest.mark.parametrize(
    ("file", "old", "new", "record", "field", "message"),
    [
        (
            "partnerships.yaml",
            "places: [chongqing, minsk-oblast]",
            "places: [chongqing, atlantis]",
            "chongqing-minsk-oblast",
            "places",
            "unknown record 'atlantis'",
        ),
        (
            "partnerships.yaml",
            "  established: 2017\n",
            "  established: 2017-02-30\n",
            "chongqing-minsk-oblast",
            "established",
            "no day 30",
        ),
        (
            "observations.yaml",
            "  value: 607\n  unit: ha\n",
            "  value: 607\n  unit: Mt/yr\n",
            "belarusian-style-town-land-area",
            "(record)",
            "cannot measure 'land_area'",
        ),
        (
            "projects.yaml",
            "  countries: [CHN, KAZ]\n",
            "  countries: [CHN, XYZ]\n",
            "horgos-center",
            "countries",
            "no country place with ISO3 code 'XYZ'",
        ),
        (
            "agreements.yaml",
            "  event: mayors-roundtable-2019\n",
            "  event: chongqing\n",
            "yubei-minsk-oblast-investment-2019",
            "event",
            "'chongqing' is a place",
        ),
        (
            "observations.yaml",
            "  side: CHN\n  value: 343\n",
            "  side: CHN\n  value: 300\n",
            "horgos-center-area",
            "value",
            "add up to",
        ),
        (
            "actors.yaml",
            "  kind: research_institute\n",
            "  kind: think_tank\n",
            "kinu",
            "kind",
            "Input should be",
        ),
    ],
)
def test_bad_record_is_reported_precisely(
    curated_copy: Path, file: str, old: str, new: str, record: str, field: str, message: str
) -> None:
    _edit(curated_copy, file, old, new)
    with pytest.raises(ValidationFailed) as caught:
        load_curated_data(curated_copy)
    text = str(caught.value)
    assert "nothing was loaded" in text
    line = _line_of(curated_copy, file, record)
    wanted = re.escape(f"{file}:{line} record {record!r} field {field!r}: ") + r".*" + re.escape(message)
    assert re.search(wanted, text), text


def test_missing_citation_is_refused(curated_copy: Path) -> None:
    path = curated_copy / "connectivities.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "  cite: [{source: cbecz-opinion-2018, page: 1, footnote: 3}]\n- id: facilities-connectivity",
        "\n- id: facilities-connectivity",
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        ValidationFailed,
        match=r"connectivities.yaml:\d+ record 'policy-coordination' field 'cite': Field required",
    ):
        load_curated_data(curated_copy)


def test_citing_an_unknown_source_is_refused(curated_copy: Path) -> None:
    _edit(
        curated_copy,
        "corridors.yaml",
        "  cite:\n    - {source: cbecz-opinion-2018, page: 1, footnote: 2}\n- id: cpec",
        "  cite:\n    - {source: nowhere, page: 1}\n- id: cpec",
    )
    with pytest.raises(ValidationFailed, match="cites unknown source 'nowhere'"):
        load_curated_data(curated_copy)


def test_duplicate_ids_and_broken_yaml(curated_copy: Path) -> None:
    (curated_copy / "places-extra.yaml").write_text(
        (curated_copy / "places.yaml").read_text(encoding="utf-8").split("- id: belarus")[0], encoding="utf-8"
    )
    with pytest.raises(ValidationFailed, match=r"duplicate id; first defined at places(-extra)?\.yaml:\d+"):
        load_curated_data(curated_copy)
    (curated_copy / "places-extra.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match=r"places-extra\.yaml:\d+: not valid YAML"):
        load_curated_data(curated_copy)
    (curated_copy / "places-extra.yaml").write_text("id: not-a-list\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="expected a list of records"):
        load_curated_data(curated_copy)


def test_every_problem_is_reported_at_once(curated_copy: Path) -> None:
    _edit(curated_copy, "partnerships.yaml", "  established: 2017\n", "  established: 2017-13\n")
    _edit(curated_copy, "observations.yaml", "  value: 607\n  unit: ha\n", "  value: 607\n  unit: km\n")
    with pytest.raises(ValidationFailed, match=r"^2 problem\(s\)"):
        load_curated_data(curated_copy)


def test_failed_validation_leaves_the_store_untouched(store: Engine, curated_copy: Path) -> None:
    with store.connect() as conn:
        before = counts_by_kind(conn)
    _edit(
        curated_copy,
        "partnerships.yaml",
        "places: [chongqing, minsk-oblast]",
        "places: [chongqing, atlantis]",
    )
    with pytest.raises(ValidationFailed):
        load_knowledge_base(store, load_curated_data(curated_copy))
    with store.connect() as conn:
        assert counts_by_kind(conn) == before
        assert get_record(conn, "chongqing-minsk-oblast")["data"]["places"] == ["chongqing", "minsk-oblast"]


def test_a_write_that_fails_halfway_is_rolled_back(store: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    with store.connect() as conn:
        before = counts_by_kind(conn)

    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    # the old records are deleted first, then the insert fails: the transaction must undo both
    monkeypatch.setattr(writer, "insert_rows", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        load_knowledge_base(store)
    with store.connect() as conn:
        assert counts_by_kind(conn) == before
