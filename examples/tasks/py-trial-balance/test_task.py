import unittest
from datetime import date
from decimal import Decimal

from ledger.accounts import standard_chart
from ledger.entries import simple_entry
from ledger.journal import Journal


def sample_journal() -> Journal:
    journal = Journal(standard_chart())
    journal.post(simple_entry("e1", date(2024, 1, 2), "capital", "1000", "3000", Decimal("5000")))
    journal.post(simple_entry("e2", date(2024, 1, 5), "rent", "5000", "1000", Decimal("1200")))
    journal.post(simple_entry("e3", date(2024, 2, 1), "sale on credit", "1100", "4000", Decimal("800")))
    journal.post(simple_entry("e4", date(2024, 2, 3), "payment", "1000", "1100", Decimal("300")))
    return journal


class TrialBalanceTest(unittest.TestCase):
    def test_trial_balance(self) -> None:
        trial = sample_journal().trial_balance()
        self.assertEqual(list(trial), ["1000", "1100", "3000", "4000", "5000"])
        self.assertEqual(trial["1000"], Decimal("4100"))
        self.assertEqual(trial["3000"], Decimal("-5000"))
        self.assertEqual(sum(trial.values()), Decimal("0"))

    def test_empty(self) -> None:
        self.assertEqual(Journal(standard_chart()).trial_balance(), {})


if __name__ == "__main__":
    unittest.main()
