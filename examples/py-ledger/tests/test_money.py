import unittest
from decimal import Decimal

from ledger.errors import InvalidAmountError, LedgerError
from ledger.fx import convert, cross_rate, invert_rate
from ledger.money import format_amount, parse_amount, split_evenly


class MoneyTest(unittest.TestCase):
    def test_parse_amount(self) -> None:
        self.assertEqual(parse_amount("1,234.50"), Decimal("1234.50"))
        self.assertEqual(parse_amount(" -7 "), Decimal("-7.00"))
        self.assertEqual(parse_amount("(7.25)"), Decimal("-7.25"))
        self.assertEqual(parse_amount("0.125"), Decimal("0.12"))
        for bad in ["", "abc", "NaN", "1.2.3"]:
            with self.assertRaises(InvalidAmountError):
                parse_amount(bad)

    def test_format_amount(self) -> None:
        self.assertEqual(format_amount(Decimal("1234.5")), "1,234.50")
        self.assertEqual(format_amount(Decimal("-7.25")), "(7.25)")
        self.assertEqual(format_amount(Decimal("0")), "0.00")

    def test_split_evenly(self) -> None:
        self.assertEqual(split_evenly(Decimal("10.00"), 3), [Decimal("3.34"), Decimal("3.33"), Decimal("3.33")])
        self.assertEqual(sum(split_evenly(Decimal("0.05"), 4)), Decimal("0.05"))
        with self.assertRaises(LedgerError):
            split_evenly(Decimal("1"), 0)

    def test_fx(self) -> None:
        self.assertEqual(convert(Decimal("100"), Decimal("0.9137")), Decimal("91.37"))
        self.assertEqual(invert_rate(Decimal("4")), Decimal("0.250000"))
        self.assertEqual(cross_rate(Decimal("2"), Decimal("3")), Decimal("1.500000"))
        with self.assertRaises(InvalidAmountError):
            convert(Decimal("1"), Decimal("0"))


if __name__ == "__main__":
    unittest.main()
