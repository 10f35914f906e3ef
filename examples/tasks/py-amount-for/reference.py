def amount_for(entry: JournalEntry, account_code: str) -> Decimal:
    """Debits less credits of the entry's postings to one account."""
    amount = ZERO
    for posting in entry.postings:
        if posting.account_code == account_code:
            amount += posting.debit - posting.credit
    return amount
