import unittest
from datetime import date
from decimal import Decimal

from ledger.accounts import standard_chart
from ledger.entries import JournalEntry, Posting, simple_entry, validate_entry
from ledger.errors import InvalidAmountError, LedgerError, UnbalancedEntryError, UnknownAccountError


class ValidateEntryTest(unittest.TestCase):
    def test_valid(self) -> None:
        entry = simple_entry("e1", date(2024, 1, 2), "capital", "1000", "3000", Decimal("5000"))
        self.assertIs(validate_entry(entry, standard_chart()), entry)

    def test_invalid(self) -> None:
        chart = standard_chart()
        day = date(2024, 1, 2)
        with self.assertRaises(LedgerError):
            validate_entry(JournalEntry("a", day, "", (Posting("1000", debit=Decimal("1")),)), chart)
        with self.assertRaises(UnknownAccountError):
            validate_entry(simple_entry("b", day, "", "1000", "9999", Decimal("1")), chart)
        with self.assertRaises(InvalidAmountError):
            validate_entry(JournalEntry("c", day, "", (Posting("1000", debit=Decimal("-1")), Posting("4000", credit=Decimal("-1")))), chart)
        with self.assertRaises(UnbalancedEntryError) as caught:
            validate_entry(JournalEntry("d", day, "", (Posting("1000", debit=Decimal("2")), Posting("4000", credit=Decimal("1")))), chart)
        self.assertEqual((caught.exception.debits, caught.exception.credits), (Decimal("2"), Decimal("1")))


if __name__ == "__main__":
    unittest.main()
