import unittest
from decimal import Decimal

from ledger.errors import InvalidAmountError
from ledger.fx import convert


class ConvertTest(unittest.TestCase):
    def test_convert(self) -> None:
        self.assertEqual(convert(Decimal("100"), Decimal("0.9137")), Decimal("91.37"))
        self.assertEqual(convert(Decimal("10.00"), Decimal("1.0005")), Decimal("10.00"))
        self.assertEqual(convert(Decimal("-20"), Decimal("1.5")), Decimal("-30.00"))
        self.assertEqual(str(convert(Decimal("1"), Decimal("2"))), "2.00")

    def test_bad_rates(self) -> None:
        for rate in ["0", "-1.2"]:
            with self.assertRaises(InvalidAmountError):
                convert(Decimal("1"), Decimal(rate))


if __name__ == "__main__":
    unittest.main()
