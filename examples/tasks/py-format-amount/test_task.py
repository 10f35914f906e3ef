import unittest
from decimal import Decimal

from ledger.money import format_amount


class FormatAmountTest(unittest.TestCase):
    def test_positive(self) -> None:
        self.assertEqual(format_amount(Decimal("1234.5")), "1,234.50")
        self.assertEqual(format_amount(Decimal("0")), "0.00")
        self.assertEqual(format_amount(Decimal("1000000")), "1,000,000.00")
        self.assertEqual(format_amount(Decimal("2.005")), "2.00")

    def test_negative(self) -> None:
        self.assertEqual(format_amount(Decimal("-7.25")), "(7.25)")
        self.assertEqual(format_amount(Decimal("-1234.567")), "(1,234.57)")


if __name__ == "__main__":
    unittest.main()
