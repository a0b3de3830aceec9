"""Load the curated YAML files into validated records, or say exactly what is wrong and where.

Loading is all-or-nothing: every problem in every file is collected first, then reported together
with file, line, record id and field, so a curator fixes a batch at a time and nothing half-valid
ever reaches the store.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from beltroad.errors import ValidationFailed
from beltroad.model import (
    RECORD_TYPES,
    REFERENCE_KINDS,
    Observation,
    Partnership,
    Place,
    Record,
    Source,
    citations_of,
    record_kind,
)
from beltroad.model.units import to_base
from beltroad.model.vocab import PLACE_LEVEL_WORD

CURATED_DIR = Path(__file__).parent / "curated"

#: file stem (before any "-suffix") → record kind
FILE_KINDS: dict[str, str] = {
    "places": "place",
    "actors": "actor",
    "events": "event",
    "partnerships": "partnership",
    "agreements": "agreement",
    "projects": "project",
    "corridors": "corridor",
    "connectivities": "connectivity",
    "strategies": "strategy",
    "observations": "observation",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one record, located precisely enough to fix without searching."""

    file: str
    line: int | None
    record: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        what = f" record {self.record!r}" if self.record else ""
        fld = f" field {self.field!r}" if self.field else ""
        return f"{where}{what}{fld}: {self.message}"


@dataclass
class KnowledgeBase:
    """Validated sources and records, with where each came from."""

    sources: dict[str, Source] = field(default_factory=dict)
    records: dict[str, Record] = field(default_factory=dict)
    origin: dict[str, tuple[str, int | None]] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[Record]:
        cls = RECORD_TYPES[kind]
        return [r for r in self.records.values() if type(r) is cls]

    def places(self) -> dict[str, Place]:
        return {r.id: r for r in self.records.values() if isinstance(r, Place)}

    def country_places(self) -> dict[str, Place]:
        """ISO3 code → the place record of that country."""
        return {p.country: p for p in self.places().values() if p.kind == "country"}


class _CuratedLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text: the model parses them with their precision and
    reports an impossible date (2017-02-30) as a field error instead of crashing the parser."""


_CuratedLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _items_with_lines(text: str, path: Path) -> list[tuple[int, Any]]:
    """Parse a YAML list and pair each item with the line it starts on (1-based)."""
    try:
        node = yaml.compose(text, Loader=_CuratedLoader)
        data = yaml.load(text, Loader=_CuratedLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        msg = f"{path.name}{line}: not valid YAML: {getattr(exc, 'problem', exc)}"
        raise ValidationFailed(msg) from None
    if data is None:
        return []
    if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
        msg = f"{path.name}: expected a list of records at the top level, got {type(data).__name__}"
        raise ValidationFailed(msg)
    return [(child.start_mark.line + 1, item) for child, item in zip(node.value, data, strict=True)]


def _field_path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(record)"


def _parse_file(path: Path, kb: KnowledgeBase, problems: list[Problem]) -> None:
    stem = path.stem.split("-", 1)[0]
    is_sources = stem == "sources"
    if not is_sources and stem not in FILE_KINDS:
        problems.append(
            Problem(
                path.name, None, None, None, f"unknown file; name it after a kind: {', '.join(FILE_KINDS)}"
            )
        )
        return
    cls: type[Source] | type[Record] = Source if is_sources else RECORD_TYPES[FILE_KINDS[stem]]
    for line, raw in _items_with_lines(path.read_text(encoding="utf-8"), path):
        rid = raw.get("id") if isinstance(raw, dict) else None
        try:
            obj = cls.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors():
                problems.append(Problem(path.name, line, rid, _field_path(err["loc"]), err["msg"]))
            continue
        if obj.id in kb.sources or obj.id in kb.records:
            first = kb.origin[obj.id]
            problems.append(
                Problem(
                    path.name, line, obj.id, "id", f"duplicate id; first defined at {first[0]}:{first[1]}"
                )
            )
            continue
        kb.origin[obj.id] = (path.name, line)
        if isinstance(obj, Source):
            kb.sources[obj.id] = obj
        else:
            kb.records[obj.id] = obj


def check_knowledge_base(kb: KnowledgeBase) -> list[Problem]:
    """Cross-record checks: references resolve to the right kinds, codes exist, figures add up."""
    problems: list[Problem] = []
    countries = kb.country_places()

    def report(rid: str, fld: str, message: str) -> None:
        file, line = kb.origin.get(rid, ("?", None))
        problems.append(Problem(file, line, rid, fld, message))

    for rid, rec in kb.records.items():
        for part, cite in citations_of(rec):
            fld = part if part == "cite" else f"{part}.cite"
            if cite.source not in kb.sources:
                report(rid, fld, f"cites unknown source {cite.source!r}")
        for rel, ids in rec.referenced_ids().items():
            allowed = REFERENCE_KINDS[rel]
            for ref in ids:
                target = kb.records.get(ref)
                if target is None:
                    report(rid, rel, f"refers to unknown record {ref!r}")
                elif record_kind(target) not in allowed:
                    report(
                        rid,
                        rel,
                        f"{ref!r} is a {record_kind(target)}; {rel} must be one of {sorted(allowed)}",
                    )
        for attr in ("country", "countries", "side"):
            value = getattr(rec, attr, None)
            codes = [value] if isinstance(value, str) else (value or [])
            for code in codes:
                if code not in countries:
                    report(rid, attr, f"no country place with ISO3 code {code!r}")
    problems.extend(_check_observations(kb))
    return problems


def _check_observations(kb: KnowledgeBase) -> list[Problem]:
    """Per-side figures of a subject must add up to its total of the same measure and date."""
    problems: list[Problem] = []
    groups: dict[tuple[Any, ...], list[Observation]] = defaultdict(list)
    for rec in kb.records.values():
        if isinstance(rec, Observation):
            key = (tuple(rec.subject), rec.measure, rec.qualifier, str(rec.period), str(rec.as_of))
            groups[key].append(rec)
    for obs in groups.values():
        totals = [o for o in obs if o.side is None]
        sides = [o for o in obs if o.side is not None]
        if len(totals) != 1 or len(sides) < 2:
            continue
        total = totals[0]
        summed = sum(to_base(o.value, o.unit) for o in sides)
        if not math.isclose(summed, to_base(total.value, total.unit), rel_tol=0.02):
            file, line = kb.origin[total.id]
            problems.append(
                Problem(
                    file,
                    line,
                    total.id,
                    "value",
                    f"sides ({', '.join(o.id for o in sides)}) add up to {summed:g} in base units, "
                    f"not to the total {to_base(total.value, total.unit):g}",
                )
            )
    return problems


def derive_partnership_level(partnership: Partnership, places: dict[str, Place]) -> str:
    """``city–oblast``-style level from the two places' kinds, for records that do not state one."""
    words = []
    for pid in partnership.places:
        place = places.get(pid)
        words.append(place.admin_term or PLACE_LEVEL_WORD[place.kind] if place else "place")
    return "–".join(words)


def load_curated_data(directory: Path | None = None) -> KnowledgeBase:
    """Read and validate every YAML file of the curated knowledge base.

    Raises
    ------
    ValidationFailed
        With every problem found, each naming file, line, record and field.
    """
    directory = directory or CURATED_DIR
    if not directory.is_dir():
        msg = f"curated data directory {directory} does not exist"
        raise ValidationFailed(msg)
    kb = KnowledgeBase()
    problems: list[Problem] = []
    files = sorted(directory.glob("*.yaml"))
    # sources first, so duplicate ids between a source and a record are reported on the record
    files.sort(key=lambda p: (not p.name.startswith("sources"), p.name))
    for path in files:
        _parse_file(path, kb, problems)
    if not problems:
        problems = check_knowledge_base(kb)
    if problems:
        shown = "\n  ".join(str(p) for p in problems[:25])
        more = f"\n  … and {len(problems) - 25} more" if len(problems) > 25 else ""
        msg = f"{len(problems)} problem(s) in the curated data; nothing was loaded:\n  {shown}{more}"
        raise ValidationFailed(msg)
    return kb
