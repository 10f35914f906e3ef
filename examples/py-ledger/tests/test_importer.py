import unittest
from datetime import date
from decimal import Decimal

from ledger.entries import Posting
from ledger.errors import InvalidAmountError, LedgerError
from ledger.importer import parse_row, read_entries

EXPORT = """entry_id,date,account,debit,credit,memo
e1,2024-01-02,1000,5000,,capital
e1,2024-01-02,3000,,5000,
e2,2024-01-05,5000,"1,200.00",,rent
e2,2024-01-05,1000,,"1,200.00",
"""


class ImporterTest(unittest.TestCase):
    def test_parse_row(self) -> None:
        self.assertEqual(
            parse_row(["e9", "2024-05-01", "1000", "12.5", "", "coffee"]),
            ("e9", date(2024, 5, 1), Posting("1000", debit=Decimal("12.50")), "coffee"),
        )
        with self.assertRaises(LedgerError):
            parse_row(["e9", "yesterday", "1000", "1", "", ""])
        with self.assertRaises(InvalidAmountError):
            parse_row(["e9", "2024-05-01", "1000", "one", "", ""])

    def test_read_entries(self) -> None:
        entries = read_entries(EXPORT)
        self.assertEqual([entry.entry_id for entry in entries], ["e1", "e2"])
        self.assertEqual(entries[1].memo, "rent")
        self.assertEqual(entries[1].postings[0].debit, Decimal("1200.00"))


if __name__ == "__main__":
    unittest.main()
