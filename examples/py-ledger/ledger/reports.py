"""Statements from a journal: income statement, balance sheet, and a printable table."""

from decimal import Decimal

from ledger.accounts import AccountType
from ledger.journal import Journal
from ledger.money import ZERO, format_amount


def total_of_type(journal: Journal, account_type: AccountType) -> Decimal:
    total = ZERO
    for account in journal.chart.of_type(account_type):
        total += journal.balance_of(account.code)
    return total


def income_statement(journal: Journal) -> dict[str, Decimal]:
    income = total_of_type(journal, AccountType.INCOME)
    expenses = total_of_type(journal, AccountType.EXPENSE)
    return {"income": income, "expenses": expenses, "net": income - expenses}


def balance_sheet(journal: Journal) -> dict[str, Decimal]:
    """Assets, liabilities, and equity including the net income not yet closed into it."""
    assets = total_of_type(journal, AccountType.ASSET)
    liabilities = total_of_type(journal, AccountType.LIABILITY)
    equity = total_of_type(journal, AccountType.EQUITY) + income_statement(journal)["net"]
    return {"assets": assets, "liabilities": liabilities, "equity": equity}


def format_table(rows: dict[str, Decimal]) -> str:
    """One "label  amount" line per row, amounts right-aligned to the widest."""
    if not rows:
        return ""
    label_width = max(len(label) for label in rows)
    amounts = {label: format_amount(amount) for label, amount in rows.items()}
    amount_width = max(len(text) for text in amounts.values())
    return "\n".join(f"{label.ljust(label_width)}  {text.rjust(amount_width)}" for label, text in amounts.items())
