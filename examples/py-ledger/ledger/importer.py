"""Entries from CSV exports: one posting per row, rows of an entry share its id."""

import csv
import io
from datetime import date

from ledger.entries import JournalEntry, Posting
from ledger.errors import LedgerError
from ledger.money import ZERO, parse_amount

COLUMNS = ("entry_id", "date", "account", "debit", "credit", "memo")


def parse_row(fields: list[str]) -> tuple[str, date, Posting, str]:
    """One CSV row: (entry id, date, posting, memo); empty debit or credit cells are zero."""
    if len(fields) != len(COLUMNS):
        raise LedgerError(f"expected {len(COLUMNS)} fields, got {len(fields)}")
    entry_id, day, account, debit, credit, memo = (field.strip() for field in fields)
    try:
        entry_date = date.fromisoformat(day)
    except ValueError as error:
        raise LedgerError(f"not a date: {day!r}") from error
    posting = Posting(
        account,
        debit=parse_amount(debit) if debit else ZERO,
        credit=parse_amount(credit) if credit else ZERO,
    )
    return entry_id, entry_date, posting, memo


def read_entries(text: str) -> list[JournalEntry]:
    """Entries in the order their ids first appear; the header row is skipped; the first memo wins."""
    rows = list(csv.reader(io.StringIO(text)))
    if rows and [cell.strip() for cell in rows[0]] == list(COLUMNS):
        rows = rows[1:]
    order: list[str] = []
    postings: dict[str, list[Posting]] = {}
    heads: dict[str, tuple[date, str]] = {}
    for fields in rows:
        if not fields:
            continue
        entry_id, entry_date, posting, memo = parse_row(fields)
        if entry_id not in postings:
            order.append(entry_id)
            postings[entry_id] = []
            heads[entry_id] = (entry_date, memo)
        postings[entry_id].append(posting)
    return [JournalEntry(entry_id, heads[entry_id][0], heads[entry_id][1], tuple(postings[entry_id])) for entry_id in order]
