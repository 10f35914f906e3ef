import unittest
from datetime import date
from decimal import Decimal

from ledger.accounts import standard_chart
from ledger.entries import simple_entry
from ledger.errors import UnknownAccountError
from ledger.journal import Journal


def sample_journal() -> Journal:
    journal = Journal(standard_chart())
    journal.post(simple_entry("e1", date(2024, 1, 2), "capital", "1000", "3000", Decimal("5000")))
    journal.post(simple_entry("e2", date(2024, 1, 5), "rent", "5000", "1000", Decimal("1200")))
    journal.post(simple_entry("e3", date(2024, 2, 1), "sale on credit", "1100", "4000", Decimal("800")))
    journal.post(simple_entry("e4", date(2024, 2, 3), "payment", "1000", "1100", Decimal("300")))
    return journal


class BalanceOfTest(unittest.TestCase):
    def test_balances(self) -> None:
        journal = sample_journal()
        self.assertEqual(journal.balance_of("1000"), Decimal("4100"))
        self.assertEqual(journal.balance_of("1100"), Decimal("500"))
        self.assertEqual(journal.balance_of("3000"), Decimal("5000"))
        self.assertEqual(journal.balance_of("4000"), Decimal("800"))
        self.assertEqual(journal.balance_of("5000"), Decimal("1200"))
        self.assertEqual(journal.balance_of("5100"), Decimal("0"))

    def test_unknown_account(self) -> None:
        with self.assertRaises(UnknownAccountError):
            sample_journal().balance_of("9999")


if __name__ == "__main__":
    unittest.main()
