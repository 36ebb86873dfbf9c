"""The aggregator's two date lines: ``DD.MM.YYYY`` under the headline, and the dateline
``Outlet, D Month YYYY`` (English or Turkish month names) that names the outlet."""

from __future__ import annotations

import re
from datetime import date

from newswatch.read.text import fold

_MONTHS = {
    fold(name): number
    for names in (
        "january february march april may june july august september october november december",
        "ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık",
    )
    for number, name in enumerate(names.split(), start=1)
}
_DATE_LINE = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})(?:,?\s+\d{1,2}[:.]\d{2}(?::\d{2})?)?$")
_DATELINE = re.compile(
    r"^(?P<outlet>[^,\n]{1,80}),\s+(?P<day>\d{1,2})\s+(?P<month>[^\W\d_]+)\s+(?P<year>\d{4})$"
)


def date_line(line: str) -> date | None:
    """The date of a ``DD.MM.YYYY`` line (a time after it allowed), or None."""
    match = _DATE_LINE.match(line)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def dateline(line: str) -> tuple[str, date | None] | None:
    """The outlet and date of an ``Outlet, D Month YYYY`` line, or None when the line is
    not one (its month is no month's name); the date is None when no such day exists."""
    match = _DATELINE.match(line)
    month = _MONTHS.get(fold(match["month"])) if match else None
    if match is None or month is None:
        return None
    try:
        return match["outlet"].strip(), date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        return match["outlet"].strip(), None
