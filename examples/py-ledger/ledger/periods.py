"""Monthly periods, keyed "YYYY-MM"."""

from calendar import monthrange
from collections.abc import Iterable
from datetime import date

from ledger.entries import JournalEntry
from ledger.errors import LedgerError


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def parse_month_key(key: str) -> tuple[int, int]:
    """ "2024-03" -> (2024, 3); LedgerError for anything else."""
    parts = key.split("-")
    if len(parts) != 2 or not all(part.isdigit() for part in parts) or len(parts[0]) != 4 or len(parts[1]) != 2:
        raise LedgerError(f"not a month key: {key!r}")
    year, month = int(parts[0]), int(parts[1])
    if not 1 <= month <= 12:
        raise LedgerError(f"not a month key: {key!r}")
    return year, month


def month_bounds(key: str) -> tuple[date, date]:
    """The first and last day of the month."""
    year, month = parse_month_key(key)
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def entries_in_month(entries: Iterable[JournalEntry], key: str) -> list[JournalEntry]:
    first_day, last_day = month_bounds(key)
    return [entry for entry in entries if first_day <= entry.entry_date <= last_day]


def group_by_month(entries: Iterable[JournalEntry]) -> dict[str, list[JournalEntry]]:
    """Entries per month key, months in order, entries in their original order."""
    groups: dict[str, list[JournalEntry]] = {}
    for entry in entries:
        groups.setdefault(month_key(entry.entry_date), []).append(entry)
    return dict(sorted(groups.items()))
