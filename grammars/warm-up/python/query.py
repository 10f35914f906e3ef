# Ananke grammar warm-up text: original code, not part of the build.
"""A tiny, composable SQL query builder that always uses bound parameters."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any, Iterator, Literal, Sequence

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$")
Direction = Literal["ASC", "DESC"]


def quote_ident(name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise ValueError(f"refusing to use {name!r} as an identifier")
    return ".".join(f'"{part}"' for part in name.split("."))


class Expr:
    """Base class for WHERE-clause expressions; supports &, | and ~."""

    def render(self) -> tuple[str, list[Any]]:
        raise NotImplementedError

    def __and__(self, other: Expr) -> Expr:
        return Combined("AND", (self, other))

    def __or__(self, other: Expr) -> Expr:
        return Combined("OR", (self, other))

    def __invert__(self) -> Expr:
        return Not(self)


@dataclass(frozen=True)
class Compare(Expr):
    column: str
    op: str
    value: Any

    def render(self) -> tuple[str, list[Any]]:
        col = quote_ident(self.column)
        match self.op, self.value:
            case ("=", None):
                return f"{col} IS NULL", []
            case ("!=", None):
                return f"{col} IS NOT NULL", []
            case ("IN", list() | tuple() as values) if values:
                marks = ", ".join("?" * len(values))
                return f"{col} IN ({marks})", list(values)
            case ("IN", _):
                return "1 = 0", []
            case ("BETWEEN", (low, high)):
                return f"{col} BETWEEN ? AND ?", [low, high]
            case (op, value) if op in {"=", "!=", "<", "<=", ">", ">=", "LIKE"}:
                return f"{col} {op} ?", [value]
            case _:
                raise ValueError(f"unsupported operator {self.op!r}")


@dataclass(frozen=True)
class Combined(Expr):
    joiner: str
    parts: tuple[Expr, ...]

    def render(self) -> tuple[str, list[Any]]:
        sql_parts, params = [], []
        for part in self.parts:
            sql, values = part.render()
            sql_parts.append(f"({sql})")
            params.extend(values)
        return f" {self.joiner} ".join(sql_parts), params


@dataclass(frozen=True)
class Not(Expr):
    inner: Expr

    def render(self) -> tuple[str, list[Any]]:
        sql, params = self.inner.render()
        return f"NOT ({sql})", params


class Column:
    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> Expr:  # type: ignore[override]
        return Compare(self.name, "=", other)

    def __ne__(self, other: object) -> Expr:  # type: ignore[override]
        return Compare(self.name, "!=", other)

    def __lt__(self, other: Any) -> Expr:
        return Compare(self.name, "<", other)

    def __ge__(self, other: Any) -> Expr:
        return Compare(self.name, ">=", other)

    def isin(self, values: Sequence[Any]) -> Expr:
        return Compare(self.name, "IN", tuple(values))

    def between(self, low: Any, high: Any) -> Expr:
        return Compare(self.name, "BETWEEN", (low, high))

    def like(self, pattern: str) -> Expr:
        return Compare(self.name, "LIKE", pattern)

    __hash__ = None  # type: ignore[assignment]


def col(name: str) -> Column:
    return Column(name)


@dataclass
class Query:
    table: str
    columns: list[str] = field(default_factory=lambda: ["*"])
    conditions: list[Expr] = field(default_factory=list)
    ordering: list[tuple[str, Direction]] = field(default_factory=list)
    limit_: int | None = None
    offset_: int = 0

    def select(self, *columns: str) -> Query:
        self.columns = list(columns) or ["*"]
        return self

    def where(self, *exprs: Expr, **equals: Any) -> Query:
        self.conditions.extend(exprs)
        self.conditions.extend(Compare(key, "=", value) for key, value in equals.items())
        return self

    def order_by(self, *keys: str) -> Query:
        for key in keys:
            direction: Direction = "DESC" if key.startswith("-") else "ASC"
            self.ordering.append((key.lstrip("-+"), direction))
        return self

    def limit(self, count: int, offset: int = 0) -> Query:
        if count < 0 or offset < 0:
            raise ValueError("limit and offset must be non-negative")
        self.limit_, self.offset_ = count, offset
        return self

    def build(self) -> tuple[str, list[Any]]:
        cols = ", ".join(c if c == "*" else quote_ident(c) for c in self.columns)
        sql = [f"SELECT {cols} FROM {quote_ident(self.table)}"]
        params: list[Any] = []
        if self.conditions:
            where, params = Combined("AND", tuple(self.conditions)).render()
            sql.append(f"WHERE {where}")
        if self.ordering:
            sql.append("ORDER BY " + ", ".join(f"{quote_ident(c)} {d}" for c, d in self.ordering))
        if self.limit_ is not None:
            sql.append("LIMIT ? OFFSET ?")
            params += [self.limit_, self.offset_]
        return " ".join(sql), params

    def run(self, conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
        sql, params = self.build()
        cursor = conn.execute(sql, params)
        names = [d[0] for d in cursor.description or ()]
        for row in cursor:
            yield dict(zip(names, row))

    def __str__(self) -> str:
        sql, params = self.build()
        return f"{sql}  -- params={params!r}"
