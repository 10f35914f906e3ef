"""Foreign exchange: rates are Decimals of quote currency per unit of base currency."""

from decimal import Decimal

from ledger.errors import InvalidAmountError
from ledger.money import round_cents

RATE_PLACES = Decimal("0.000001")


def convert(amount: Decimal, rate: Decimal) -> Decimal:
    """The amount in the quote currency, rounded to the cent; InvalidAmountError for a rate <= 0."""
    if rate <= 0:
        raise InvalidAmountError(str(rate))
    return round_cents(amount * rate)


def invert_rate(rate: Decimal) -> Decimal:
    """EUR->USD from USD->EUR, to six places."""
    if rate <= 0:
        raise InvalidAmountError(str(rate))
    return (Decimal(1) / rate).quantize(RATE_PLACES)


def cross_rate(base_per_usd: Decimal, quote_per_usd: Decimal) -> Decimal:
    """Base->quote through the dollar, to six places."""
    if base_per_usd <= 0 or quote_per_usd <= 0:
        raise InvalidAmountError(f"{base_per_usd}/{quote_per_usd}")
    return (quote_per_usd / base_per_usd).quantize(RATE_PLACES)
