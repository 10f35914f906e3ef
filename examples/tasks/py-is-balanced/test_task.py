import unittest
from datetime import date
from decimal import Decimal

from ledger.entries import JournalEntry, Posting, is_balanced


class IsBalancedTest(unittest.TestCase):
    def test_balanced(self) -> None:
        postings = (Posting("1000", debit=Decimal("10.50")), Posting("4000", credit=Decimal("7")), Posting("4100", credit=Decimal("3.50")))
        self.assertTrue(is_balanced(JournalEntry("e1", date(2024, 1, 1), "", postings)))
        self.assertTrue(is_balanced(JournalEntry("e0", date(2024, 1, 1), "", ())))

    def test_unbalanced(self) -> None:
        postings = (Posting("1000", debit=Decimal("10.00")), Posting("4000", credit=Decimal("9.99")))
        self.assertFalse(is_balanced(JournalEntry("e2", date(2024, 1, 1), "", postings)))


if __name__ == "__main__":
    unittest.main()
