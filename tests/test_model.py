"""The domain model's own rules: dates keep their precision, citations need locators, numbers
need fitting units."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st
from pydantic import ValidationError

from beltroad.model import Citation, Observation, PartialDate, Partnership, Period
from beltroad.model.names import normalise_name, slugify
from beltroad.model.units import MEASURES, UNITS, unit_fits_measure

CITE = [{"source": "s1", "section": "Intro", "paragraph": 1}]


@pytest.mark.parametrize(
    ("text", "precision", "earliest", "latest"),
    [
        ("2017", "year", dt.date(2017, 1, 1), dt.date(2017, 12, 31)),
        ("2015-05", "month", dt.date(2015, 5, 1), dt.date(2015, 5, 31)),
        ("2015-05-21", "day", dt.date(2015, 5, 21), dt.date(2015, 5, 21)),
        ("2024-02", "month", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ],
)
def test_partial_date_keeps_precision(text: str, precision: str, earliest: dt.date, latest: dt.date) -> None:
    date = PartialDate.model_validate(text)
    assert date.precision == precision
    assert (date.earliest(), date.latest()) == (earliest, latest)
    assert str(date) == text


@pytest.mark.parametrize("bad", ["2015-02-30", "2015-13", "15-05-2015", "May 2015", "1066", "2023-00"])
def test_impossible_or_malformed_dates_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        PartialDate.model_validate(bad)


@given(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_any_real_day_round_trips(day: dt.date) -> None:
    parsed = PartialDate.model_validate(day.isoformat())
    assert parsed.earliest() == parsed.latest() == day
    assert PartialDate.model_validate(str(parsed)) == parsed


def test_yaml_style_inputs_parse_alike() -> None:
    assert PartialDate.model_validate(2017) == PartialDate.model_validate("2017")
    assert PartialDate.model_validate(dt.date(2015, 5, 21)) == PartialDate.model_validate("2015-05-21")


def test_period_forms_and_order() -> None:
    assert str(Period.model_validate("2004/2005")) == "2004/2005"
    assert str(Period.model_validate(2011)) == "2011"
    assert Period.model_validate({"start": "2014", "end": "2015-06"}).end.latest() == dt.date(2015, 6, 30)
    with pytest.raises(ValidationError, match="ends"):
        Period.model_validate("2005/2004")


def test_citation_needs_a_locator() -> None:
    with pytest.raises(ValidationError, match="no locator"):
        Citation.model_validate({"source": "s1"})
    assert Citation.model_validate({"source": "s1", "page": 3, "footnote": 7}).locator() == "p. 3, fn. 7"
    assert (
        Citation.model_validate({"source": "s1", "section": "Results", "paragraph": 4}).locator()
        == "Results ¶4"
    )


def _obs(**over: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "o1",
        "name": "x",
        "measure": "land_area",
        "subject": ["p1"],
        "value": 607,
        "unit": "ha",
        "qualifier": "planned",
        "as_of": 2022,
        "cite": CITE,
    }
    return {**base, **over}


def test_observation_accepts_a_fitting_unit() -> None:
    assert Observation.model_validate(_obs()).unit == "ha"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"unit": "Mt/yr"}, "cannot measure"),
        ({"unit": "furlong"}, "unknown unit"),
        ({"measure": "happiness"}, "unknown measure"),
        ({"value": -5}, "cannot be negative"),
        ({"as_of": None}, "period or an as_of"),
        ({"cite": []}, "at least 1"),
    ],
)
def test_observation_rejects_bad_numbers(change: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Observation.model_validate(_obs(**change))


def test_every_measure_has_a_unit_that_fits() -> None:
    for measure in MEASURES:
        assert any(unit_fits_measure(u, measure) for u in UNITS), measure


def test_partnership_needs_two_places_and_a_citation() -> None:
    ok = {"id": "pp", "name": "A – B", "local_term": "sister city", "places": ["aa", "bb"], "cite": CITE}
    assert Partnership.model_validate(ok).kind == "friendship"
    with pytest.raises(ValidationError, match="two different places"):
        Partnership.model_validate({**ok, "places": ["aa", "aa"]})
    with pytest.raises(ValidationError):
        Partnership.model_validate({**ok, "cite": []})
    with pytest.raises(ValidationError, match="Extra inputs"):
        Partnership.model_validate({**ok, "typo_field": 1})


def test_names_normalise_across_scripts_and_marks() -> None:
    assert normalise_name("Bağcılar") == normalise_name("bagcilar")
    assert normalise_name("Minsk  Region") == normalise_name("minsk-region")
    assert slugify("Zürich (city)") == "zurich-city"
    assert slugify("北京") == "place"
