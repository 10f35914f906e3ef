"""Journal entries: postings that debit and credit accounts, always in balance."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ledger.accounts import ChartOfAccounts
from ledger.errors import InvalidAmountError, LedgerError, UnbalancedEntryError
from ledger.money import ZERO


@dataclass(frozen=True)
class Posting:
    account_code: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO


@dataclass(frozen=True)
class JournalEntry:
    entry_id: str
    entry_date: date
    memo: str
    postings: tuple[Posting, ...]


def total_debits(entry: JournalEntry) -> Decimal:
    return sum((posting.debit for posting in entry.postings), ZERO)


def total_credits(entry: JournalEntry) -> Decimal:
    return sum((posting.credit for posting in entry.postings), ZERO)


def is_balanced(entry: JournalEntry) -> bool:
    return total_debits(entry) == total_credits(entry)


def validate_entry(entry: JournalEntry, chart: ChartOfAccounts) -> JournalEntry:
    """Two postings or more, known accounts, no negative amounts, debits equal to credits."""
    if len(entry.postings) < 2:
        raise LedgerError(f"entry {entry.entry_id} needs at least two postings")
    for posting in entry.postings:
        chart.get(posting.account_code)
        if posting.debit < ZERO or posting.credit < ZERO:
            raise InvalidAmountError(f"{posting.debit}/{posting.credit}")
    if not is_balanced(entry):
        raise UnbalancedEntryError(total_debits(entry), total_credits(entry))
    return entry


def simple_entry(entry_id: str, entry_date: date, memo: str, debit_code: str, credit_code: str, amount: Decimal) -> JournalEntry:
    """The common case: one account debited, one credited, the same amount."""
    return JournalEntry(
        entry_id,
        entry_date,
        memo,
        (Posting(debit_code, debit=amount), Posting(credit_code, credit=amount)),
    )
