"""The chart of accounts: every posting names an account that is in it."""

from dataclasses import dataclass
from enum import Enum

from ledger.errors import LedgerError, UnknownAccountError


class AccountType(Enum):
    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"
    INCOME = "income"
    EXPENSE = "expense"


DEBIT_NORMAL_TYPES = frozenset({AccountType.ASSET, AccountType.EXPENSE})


@dataclass(frozen=True)
class Account:
    code: str
    name: str
    account_type: AccountType


def normal_sign(account_type: AccountType) -> int:
    """+1 for accounts a debit increases (assets, expenses), -1 for the others."""
    return 1 if account_type in DEBIT_NORMAL_TYPES else -1


class ChartOfAccounts:
    def __init__(self) -> None:
        self._accounts: dict[str, Account] = {}

    def add(self, account: Account) -> Account:
        if account.code in self._accounts:
            raise LedgerError(f"duplicate account {account.code!r}")
        self._accounts[account.code] = account
        return account

    def get(self, code: str) -> Account:
        try:
            return self._accounts[code]
        except KeyError:
            raise UnknownAccountError(code) from None

    def of_type(self, account_type: AccountType) -> list[Account]:
        """The accounts of one type, by code."""
        matching = [account for account in self._accounts.values() if account.account_type is account_type]
        return sorted(matching, key=account_code)


def account_code(account: Account) -> str:
    return account.code


def standard_chart() -> ChartOfAccounts:
    """A small chart for a shop: cash, receivables, payables, capital, sales, rent, supplies."""
    chart = ChartOfAccounts()
    for code, name, account_type in [
        ("1000", "Cash", AccountType.ASSET),
        ("1100", "Receivables", AccountType.ASSET),
        ("2000", "Payables", AccountType.LIABILITY),
        ("3000", "Capital", AccountType.EQUITY),
        ("4000", "Sales", AccountType.INCOME),
        ("5000", "Rent", AccountType.EXPENSE),
        ("5100", "Supplies", AccountType.EXPENSE),
    ]:
        chart.add(Account(code, name, account_type))
    return chart
