"""A double-entry ledger: accounts, balanced journal entries, periods, reports and CSV import."""
