import unittest
from ledger.accounts import Account, AccountType, ChartOfAccounts
from ledger.errors import UnknownAccountError


class ChartGetTest(unittest.TestCase):
    def test_get(self) -> None:
        chart = ChartOfAccounts()
        cash = chart.add(Account("1000", "Cash", AccountType.ASSET))
        chart.add(Account("4000", "Sales", AccountType.INCOME))
        self.assertIs(chart.get("1000"), cash)
        self.assertEqual(chart.get("4000").name, "Sales")

    def test_unknown(self) -> None:
        chart = ChartOfAccounts()
        with self.assertRaises(UnknownAccountError) as caught:
            chart.get("9999")
        self.assertEqual(caught.exception.code, "9999")
        self.assertNotIsInstance(caught.exception, KeyError)


if __name__ == "__main__":
    unittest.main()
