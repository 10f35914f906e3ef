"""Every error the ledger raises derives from LedgerError, so a caller catches one type."""

from datetime import date
from decimal import Decimal


class LedgerError(Exception):
    """Base class of the ledger's errors."""


class InvalidAmountError(LedgerError):
    def __init__(self, text: str) -> None:
        super().__init__(f"not an amount: {text!r}")
        self.text = text


class UnknownAccountError(LedgerError):
    def __init__(self, code: str) -> None:
        super().__init__(f"unknown account {code!r}")
        self.code = code


class UnbalancedEntryError(LedgerError):
    def __init__(self, debits: Decimal, credits: Decimal) -> None:
        super().__init__(f"debits {debits} do not equal credits {credits}")
        self.debits = debits
        self.credits = credits


class PeriodClosedError(LedgerError):
    def __init__(self, entry_date: date) -> None:
        super().__init__(f"the period holding {entry_date.isoformat()} is closed")
        self.entry_date = entry_date
