import unittest
from datetime import date
from decimal import Decimal

from ledger.entries import JournalEntry, Posting, amount_for


class AmountForTest(unittest.TestCase):
    def test_amount_for(self) -> None:
        entry = JournalEntry("e1", date(2024, 1, 1), "split", (
            Posting("1000", debit=Decimal("10")),
            Posting("1000", credit=Decimal("2.50")),
            Posting("4000", credit=Decimal("7.50")),
        ))
        self.assertEqual(amount_for(entry, "1000"), Decimal("7.50"))
        self.assertEqual(amount_for(entry, "4000"), Decimal("-7.50"))
        self.assertEqual(amount_for(entry, "5000"), Decimal("0"))


if __name__ == "__main__":
    unittest.main()
