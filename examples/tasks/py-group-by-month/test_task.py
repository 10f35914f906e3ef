import unittest
from datetime import date
from decimal import Decimal

from ledger.entries import simple_entry
from ledger.periods import group_by_month


class GroupByMonthTest(unittest.TestCase):
    def test_groups(self) -> None:
        entries = [
            simple_entry("a", date(2024, 2, 9), "", "1000", "4000", Decimal("1")),
            simple_entry("b", date(2023, 12, 31), "", "1000", "4000", Decimal("1")),
            simple_entry("c", date(2024, 2, 1), "", "1000", "4000", Decimal("1")),
            simple_entry("d", date(2024, 1, 15), "", "1000", "4000", Decimal("1")),
        ]
        groups = group_by_month(entries)
        self.assertEqual(list(groups), ["2023-12", "2024-01", "2024-02"])
        self.assertEqual([entry.entry_id for entry in groups["2024-02"]], ["a", "c"])

    def test_empty(self) -> None:
        self.assertEqual(group_by_month([]), {})


if __name__ == "__main__":
    unittest.main()
