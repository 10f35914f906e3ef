import unittest
from ledger.errors import LedgerError
from ledger.periods import parse_month_key


class ParseMonthKeyTest(unittest.TestCase):
    def test_keys(self) -> None:
        self.assertEqual(parse_month_key("2024-03"), (2024, 3))
        self.assertEqual(parse_month_key("1999-12"), (1999, 12))

    def test_not_keys(self) -> None:
        for bad in ["2024-13", "2024-00", "2024-3", "24-03", "2024/03", "2024-03-01", "", "abcd-ef"]:
            with self.assertRaises(LedgerError, msg=bad):
                parse_month_key(bad)


if __name__ == "__main__":
    unittest.main()
