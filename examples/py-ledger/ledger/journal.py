"""The journal: validated entries, balances, and closing periods so history stays put."""

from datetime import date
from decimal import Decimal

from ledger.accounts import ChartOfAccounts, normal_sign
from ledger.entries import JournalEntry, validate_entry
from ledger.errors import PeriodClosedError
from ledger.money import ZERO


class Journal:
    def __init__(self, chart: ChartOfAccounts) -> None:
        self.chart = chart
        self._entries: list[JournalEntry] = []
        self._closed_through: date | None = None

    def post(self, entry: JournalEntry) -> JournalEntry:
        """Validates and records an entry; PeriodClosedError for a date in a closed period."""
        if self._closed_through is not None and entry.entry_date <= self._closed_through:
            raise PeriodClosedError(entry.entry_date)
        validate_entry(entry, self.chart)
        self._entries.append(entry)
        return entry

    def entries(self) -> list[JournalEntry]:
        return list(self._entries)

    def balance_of(self, account_code: str) -> Decimal:
        """Debits less credits of the account, signed so its normal balance is positive."""
        account = self.chart.get(account_code)
        balance = ZERO
        for entry in self._entries:
            for posting in entry.postings:
                if posting.account_code == account_code:
                    balance += posting.debit - posting.credit
        return balance * normal_sign(account.account_type)

    def trial_balance(self) -> dict[str, Decimal]:
        """Debits less credits per account code that has postings, by code."""
        totals: dict[str, Decimal] = {}
        for entry in self._entries:
            for posting in entry.postings:
                totals[posting.account_code] = totals.get(posting.account_code, ZERO) + posting.debit - posting.credit
        return dict(sorted(totals.items()))

    def close_through(self, last_day: date) -> None:
        """No entry dated on or before `last_day` can be posted any more."""
        if self._closed_through is None or last_day > self._closed_through:
            self._closed_through = last_day
