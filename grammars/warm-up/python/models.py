# Ananke grammar warm-up text: original code, not part of the build.
"""Domain models for a small inventory and ordering service."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field, asdict, replace
from datetime import date, datetime, timezone
from decimal import Decimal, ROUND_HALF_UP
from typing import Any, ClassVar, Iterable, Iterator, Mapping, Protocol, runtime_checkable

CENT = Decimal("0.01")


class Status(enum.Enum):
    PENDING = "pending"
    ACTIVE = "active"
    ARCHIVED = "archived"

    @property
    def is_visible(self) -> bool:
        return self is not Status.ARCHIVED

    @classmethod
    def parse(cls, raw: str | None) -> "Status":
        if not raw:
            return cls.PENDING
        try:
            return cls(raw.strip().lower())
        except ValueError:
            raise ValueError(f"unknown status {raw!r}; expected one of {[s.value for s in cls]}") from None


class Permission(enum.IntFlag):
    READ = enum.auto()
    WRITE = enum.auto()
    DELETE = enum.auto()
    ADMIN = READ | WRITE | DELETE


@runtime_checkable
class Priced(Protocol):
    """Anything that can report a unit price and a quantity."""

    @property
    def unit_price(self) -> Decimal: ...

    quantity: int


class SupportsSerialize(Protocol):
    def to_dict(self) -> dict[str, Any]:
        ...


def _utcnow() -> datetime:
    return datetime.now(tz=timezone.utc)


def _new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str = "EUR"

    def __post_init__(self) -> None:
        if len(self.currency) != 3 or not self.currency.isalpha():
            raise ValueError(f"bad currency code: {self.currency}")
        object.__setattr__(self, "amount", self.amount.quantize(CENT, rounding=ROUND_HALF_UP))

    def __add__(self, other: "Money") -> "Money":
        self._check(other)
        return Money(self.amount + other.amount, self.currency)

    def __mul__(self, factor: int | Decimal) -> "Money":
        return Money(self.amount * Decimal(factor), self.currency)

    __rmul__ = __mul__

    def _check(self, other: "Money") -> None:
        if other.currency != self.currency:
            raise ValueError(f"currency mismatch: {self.currency} vs {other.currency}")

    def __str__(self) -> str:
        return f"{self.amount:,.2f} {self.currency}"

    @classmethod
    def zero(cls, currency: str = "EUR") -> "Money":
        return cls(Decimal(0), currency)


@dataclass
class Product:
    sku: str
    name: str
    price: Money
    tags: set[str] = field(default_factory=set)
    status: Status = Status.ACTIVE
    created_at: datetime = field(default_factory=_utcnow)

    MAX_NAME: ClassVar[int] = 80

    def __post_init__(self) -> None:
        self.name = " ".join(self.name.split())
        if not self.name:
            raise ValueError("product name must not be empty")
        if len(self.name) > self.MAX_NAME:
            self.name = self.name[: self.MAX_NAME - 1] + "…"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["price"] = str(self.price)
        data["tags"] = sorted(self.tags)
        data["status"] = self.status.value
        data["created_at"] = self.created_at.isoformat()
        return data


@dataclass
class OrderLine:
    product: Product
    quantity: int = 1
    discount: Decimal = Decimal("0")

    @property
    def unit_price(self) -> Decimal:
        return self.product.price.amount * (1 - self.discount)

    @property
    def total(self) -> Money:
        return Money(self.unit_price * self.quantity, self.product.price.currency)


@dataclass
class Order:
    customer: str
    lines: list[OrderLine] = field(default_factory=list)
    id: str = field(default_factory=lambda: _new_id("ord"))
    placed_on: date | None = None
    notes: list[str] = field(default_factory=list, repr=False)

    def add(self, product: Product, quantity: int = 1, *, discount: float | Decimal = 0) -> OrderLine:
        if quantity <= 0:
            raise ValueError(f"quantity must be positive, got {quantity}")
        for line in self.lines:
            if line.product.sku == product.sku:
                line.quantity += quantity
                return line
        line = OrderLine(product, quantity, Decimal(str(discount)))
        self.lines.append(line)
        return line

    def __iter__(self) -> Iterator[OrderLine]:
        return iter(self.lines)

    def __len__(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def total(self) -> Money:
        currency = self.lines[0].product.price.currency if self.lines else "EUR"
        running = Money.zero(currency)
        for line in self.lines:
            running = running + line.total
        return running

    def with_customer(self, customer: str) -> "Order":
        return replace(self, customer=customer, id=_new_id("ord"))


def total_value(items: Iterable[Priced]) -> Decimal:
    return sum((item.unit_price * item.quantity for item in items), start=Decimal(0))


def product_from_row(row: Mapping[str, str]) -> Product:
    """Build a product from a CSV-like mapping; tolerant of missing optional columns."""
    tags = {tag.strip() for tag in row.get("tags", "").split(";") if tag.strip()}
    return Product(
        sku=row["sku"].upper(),
        name=row["name"],
        price=Money(Decimal(row["price"]), row.get("currency") or "EUR"),
        tags=tags,
        status=Status.parse(row.get("status")),
    )
