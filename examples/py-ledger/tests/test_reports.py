import unittest
from datetime import date
from decimal import Decimal

from ledger.entries import simple_entry
from ledger.errors import LedgerError
from ledger.periods import entries_in_month, group_by_month, month_bounds, month_key, parse_month_key
from ledger.reports import balance_sheet, format_table, income_statement
from tests.test_journal import sample_journal


class ReportsTest(unittest.TestCase):
    def test_statements(self) -> None:
        journal = sample_journal()
        self.assertEqual(income_statement(journal), {"income": Decimal("800"), "expenses": Decimal("1200"), "net": Decimal("-400")})
        self.assertEqual(balance_sheet(journal), {"assets": Decimal("4600"), "liabilities": Decimal("0"), "equity": Decimal("4600")})

    def test_format_table(self) -> None:
        table = format_table({"income": Decimal("800"), "net": Decimal("-400")})
        self.assertEqual(table, "income    800.00\nnet     (400.00)")
        self.assertEqual(format_table({}), "")

    def test_periods(self) -> None:
        self.assertEqual(month_key(date(2024, 3, 9)), "2024-03")
        self.assertEqual(parse_month_key("2024-12"), (2024, 12))
        with self.assertRaises(LedgerError):
            parse_month_key("2024-13")
        self.assertEqual(month_bounds("2024-02"), (date(2024, 2, 1), date(2024, 2, 29)))
        entries = sample_journal().entries() + [simple_entry("e4", date(2023, 12, 31), "old", "5100", "1000", Decimal("1"))]
        self.assertEqual([entry.entry_id for entry in entries_in_month(entries, "2024-01")], ["e1", "e2"])
        self.assertEqual(list(group_by_month(entries)), ["2023-12", "2024-01", "2024-02"])


if __name__ == "__main__":
    unittest.main()
