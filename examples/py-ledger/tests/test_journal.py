import unittest
from datetime import date
from decimal import Decimal

from ledger.accounts import AccountType, standard_chart
from ledger.entries import JournalEntry, Posting, is_balanced, simple_entry
from ledger.errors import LedgerError, PeriodClosedError, UnbalancedEntryError, UnknownAccountError
from ledger.journal import Journal


def sample_journal() -> Journal:
    journal = Journal(standard_chart())
    journal.post(simple_entry("e1", date(2024, 1, 2), "capital", "1000", "3000", Decimal("5000")))
    journal.post(simple_entry("e2", date(2024, 1, 5), "rent", "5000", "1000", Decimal("1200")))
    journal.post(simple_entry("e3", date(2024, 2, 1), "sale on credit", "1100", "4000", Decimal("800")))
    return journal


class JournalTest(unittest.TestCase):
    def test_balances_follow_the_normal_side(self) -> None:
        journal = sample_journal()
        self.assertEqual(journal.balance_of("1000"), Decimal("3800"))
        self.assertEqual(journal.balance_of("3000"), Decimal("5000"))
        self.assertEqual(journal.balance_of("4000"), Decimal("800"))
        self.assertEqual(journal.balance_of("5100"), Decimal("0"))
        with self.assertRaises(UnknownAccountError):
            journal.balance_of("9999")

    def test_trial_balance_sums_to_zero(self) -> None:
        trial = sample_journal().trial_balance()
        self.assertEqual(list(trial), ["1000", "1100", "3000", "4000", "5000"])
        self.assertEqual(sum(trial.values()), Decimal("0"))

    def test_bad_entries_are_refused(self) -> None:
        journal = sample_journal()
        unbalanced = JournalEntry("x", date(2024, 3, 1), "typo", (Posting("1000", debit=Decimal("1")), Posting("4000", credit=Decimal("2"))))
        self.assertFalse(is_balanced(unbalanced))
        with self.assertRaises(UnbalancedEntryError):
            journal.post(unbalanced)
        with self.assertRaises(LedgerError):
            journal.post(JournalEntry("y", date(2024, 3, 1), "alone", (Posting("1000", debit=Decimal("1")),)))
        journal.close_through(date(2024, 1, 31))
        with self.assertRaises(PeriodClosedError):
            journal.post(simple_entry("z", date(2024, 1, 31), "late", "5100", "1000", Decimal("10")))

    def test_chart(self) -> None:
        chart = standard_chart()
        self.assertEqual([account.code for account in chart.of_type(AccountType.EXPENSE)], ["5000", "5100"])


if __name__ == "__main__":
    unittest.main()
