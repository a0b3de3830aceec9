"""Dates that keep their precision.

Sources state "2017", "May 2015" or "21 May 2015"; storing all three as a full date would invent
a day. A ``PartialDate`` keeps only what was stated and sorts by its earliest possible day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_serializer, model_validator

Precision = Literal["year", "month", "day"]
_DATE_RE = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?)?$")


class PartialDate(BaseModel):
    """A calendar date known to a year, a month or a day; written ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""

    model_config = ConfigDict(frozen=True)

    year: int
    month: int | None = None
    day: int | None = None

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, value: Any) -> Any:
        if isinstance(value, PartialDate):
            return value.model_dump_fields()
        if isinstance(value, dt.date):
            return {"year": value.year, "month": value.month, "day": value.day}
        if isinstance(value, int) and not isinstance(value, bool):
            return {"year": value}
        if isinstance(value, str):
            match = _DATE_RE.match(value.strip())
            if not match:
                msg = f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}"
                raise ValueError(msg)
            return {
                "year": int(match["y"]),
                "month": int(match["m"]) if match["m"] else None,
                "day": int(match["d"]) if match["d"] else None,
            }
        return value

    @model_validator(mode="after")
    def _check(self) -> PartialDate:
        if not 1800 <= self.year <= 2200:
            msg = f"year {self.year} is outside 1800–2200"
            raise ValueError(msg)
        if self.day is not None and self.month is None:
            msg = "a day needs a month"
            raise ValueError(msg)
        if self.month is not None and not 1 <= self.month <= 12:
            msg = f"month {self.month} is not 1–12"
            raise ValueError(msg)
        if self.day is not None and self.month is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                msg = f"{self.year}-{self.month:02d} has no day {self.day}"
                raise ValueError(msg)
        return self

    def model_dump_fields(self) -> dict[str, int | None]:
        return {"year": self.year, "month": self.month, "day": self.day}

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @model_serializer
    def _serialise(self) -> str:
        return str(self)


class Period(BaseModel):
    """A span between two partial dates; a single date is a period that starts and ends with it.

    Written ``2004/2005`` or ``{start: 2004, end: 2005}``; a bare date means start = end.
    """

    model_config = ConfigDict(frozen=True)

    start: PartialDate
    end: PartialDate

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, value: Any) -> Any:
        if isinstance(value, str) and "/" in value:
            start, _, end = value.partition("/")
            return {"start": start.strip(), "end": end.strip()}
        if isinstance(value, (str, int, dt.date, PartialDate)):
            return {"start": value, "end": value}
        if isinstance(value, dict) and "start" in value and "end" not in value:
            return {**value, "end": value["start"]}
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end.latest() < self.start.earliest():
            msg = f"period ends ({self.end}) before it starts ({self.start})"
            raise ValueError(msg)
        return self

    def __str__(self) -> str:
        return str(self.start) if self.start == self.end else f"{self.start}/{self.end}"

    @model_serializer
    def _serialise(self) -> str:
        return str(self)
