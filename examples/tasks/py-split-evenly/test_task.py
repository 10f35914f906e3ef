import unittest
from decimal import Decimal

from ledger.errors import LedgerError
from ledger.money import split_evenly


class SplitEvenlyTest(unittest.TestCase):
    def test_splits(self) -> None:
        self.assertEqual(split_evenly(Decimal("10.00"), 3), [Decimal("3.34"), Decimal("3.33"), Decimal("3.33")])
        self.assertEqual(split_evenly(Decimal("9"), 3), [Decimal("3.00")] * 3)
        self.assertEqual(split_evenly(Decimal("0.05"), 4), [Decimal("0.02"), Decimal("0.01"), Decimal("0.01"), Decimal("0.01")])
        self.assertEqual(sum(split_evenly(Decimal("123.45"), 7)), Decimal("123.45"))

    def test_parts_must_be_positive(self) -> None:
        for parts in [0, -2]:
            with self.assertRaises(LedgerError):
                split_evenly(Decimal("1"), parts)


if __name__ == "__main__":
    unittest.main()
