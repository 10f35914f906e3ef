"""Amounts are Decimals rounded to the cent (banker's rounding): floats never touch money."""

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from ledger.errors import InvalidAmountError, LedgerError

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def round_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_EVEN)


def parse_amount(text: str) -> Decimal:
    """Reads "1,234.50", "-7" or "(7.25)" (accounting negative); InvalidAmountError otherwise."""
    cleaned = text.strip().replace(",", "")
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = cleaned[1:-1]
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as error:
        raise InvalidAmountError(text) from error
    if not amount.is_finite():
        raise InvalidAmountError(text)
    amount = round_cents(amount)
    return -amount if negative else amount


def format_amount(amount: Decimal) -> str:
    """1234.5 -> "1,234.50"; negatives in parentheses: "(7.25)"."""
    rounded = round_cents(amount)
    text = f"{abs(rounded):,.2f}"
    return f"({text})" if rounded < 0 else text


def split_evenly(amount: Decimal, parts: int) -> list[Decimal]:
    """Splits into `parts` amounts that differ by at most a cent and add up exactly; larger ones first."""
    if parts <= 0:
        raise LedgerError(f"cannot split into {parts} parts")
    total_cents = int(round_cents(amount) / CENT)
    base, remainder = divmod(total_cents, parts)
    return [(base + (1 if index < remainder else 0)) * CENT for index in range(parts)]
