import unittest
from decimal import Decimal

from ledger.errors import InvalidAmountError
from ledger.money import parse_amount


class ParseAmountTest(unittest.TestCase):
    def test_amounts(self) -> None:
        self.assertEqual(parse_amount("1,234.50"), Decimal("1234.50"))
        self.assertEqual(parse_amount("  -7 "), Decimal("-7.00"))
        self.assertEqual(parse_amount("(7.25)"), Decimal("-7.25"))
        self.assertEqual(parse_amount("0.125"), Decimal("0.12"))
        self.assertEqual(parse_amount("0.135"), Decimal("0.14"))
        self.assertEqual(str(parse_amount("3")), "3.00")

    def test_not_amounts(self) -> None:
        for bad in ["", "abc", "NaN", "Infinity", "1.2.3", "(", "12 34"]:
            with self.assertRaises(InvalidAmountError, msg=bad):
                parse_amount(bad)


if __name__ == "__main__":
    unittest.main()
