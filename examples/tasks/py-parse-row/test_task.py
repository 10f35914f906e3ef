import unittest
from datetime import date
from decimal import Decimal

from ledger.entries import Posting
from ledger.errors import InvalidAmountError, LedgerError
from ledger.importer import parse_row


class ParseRowTest(unittest.TestCase):
    def test_rows(self) -> None:
        self.assertEqual(
            parse_row(["e9", "2024-05-01", "1000", "12.5", "", "coffee"]),
            ("e9", date(2024, 5, 1), Posting("1000", debit=Decimal("12.50")), "coffee"),
        )
        self.assertEqual(
            parse_row([" e10 ", " 2024-05-02 ", " 4000 ", " ", "1,000", " sale "]),
            ("e10", date(2024, 5, 2), Posting("4000", credit=Decimal("1000.00")), "sale"),
        )

    def test_bad_rows(self) -> None:
        with self.assertRaises(LedgerError):
            parse_row(["e9", "2024-05-01", "1000", "1", ""])
        with self.assertRaises(LedgerError):
            parse_row(["e9", "May 1st", "1000", "1", "", ""])
        with self.assertRaises(InvalidAmountError):
            parse_row(["e9", "2024-05-01", "1000", "one", "", ""])


if __name__ == "__main__":
    unittest.main()
