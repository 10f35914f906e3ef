# Ananke grammar warm-up text: original code, not part of the build.
"""A small alerting rules engine with structural pattern matching and templates."""

from dataclasses import dataclass
from typing import Any, Callable

_rendered = 0


@dataclass(frozen=True)
class Metric:
    name: str
    value: float
    labels: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Threshold:
    metric: str
    op: str
    limit: float


@dataclass(frozen=True)
class Absent:
    metric: str


class Engine:
    def __init__(self, *rules: Threshold | Absent | dict[str, Any]) -> None:
        self.rules = list(rules)
        self.fired: list[str] = []

    def evaluate(self, samples: list[Metric | dict[str, Any] | tuple[str, float]]) -> list[str]:
        seen: dict[str, float] = {}
        for sample in samples:
            match sample:
                case Metric(name=name, value=value) if value == value:
                    seen[name] = value
                case {"name": str(name), "value": int() | float() as value, **rest}:
                    seen[name] = float(value)
                    if rest:
                        self.fired.append(f"ignored labels on {name}: {sorted(rest)}")
                case (str() as name, float() | int() as value):
                    seen[name] = float(value)
                case [str(name), *_]:
                    self.fired.append(f"malformed tuple for {name}")
                case None | "" | ():
                    continue
                case _:
                    raise TypeError(f"unsupported sample {sample!r}")
        for rule in self.rules:
            for message in self._check(rule, seen):
                self.fired.append(message)
        return self.fired

    def _check(self, rule: Any, seen: dict[str, float]):
        match rule:
            case Threshold(metric, ">" | ">=" as op, limit) if metric in seen:
                value = seen[metric]
                if value > limit or (op == ">=" and value == limit):
                    yield f"{metric} {value:.3g} {op} {limit:g}"
            case Threshold(metric, "<", limit) if metric in seen and seen[metric] < limit:
                yield f"{metric} below {limit}"
            case Threshold(op=op) if op not in {"<", ">", ">="}:
                yield f"bad operator {op!r}"
            case Absent(metric=m) if m not in seen:
                yield f"{m} missing"
            case {"all": [*subrules]}:
                nested = [list(self._check(r, seen)) for r in subrules]
                if nested and all(nested):
                    yield " AND ".join(msg for group in nested for msg in group)
            case {"any": [first, *others]}:
                for sub in (first, *others):
                    if hits := list(self._check(sub, seen)):
                        yield from hits
                        break
            case _:
                pass


def compile_template(text: str, *, strict: bool = True) -> Callable[..., str]:
    """Compile '{name|filter}' placeholders into a render function built from closures."""
    filters: dict[str, Callable[[str], str]] = {
        "upper": str.upper,
        "title": lambda s: s.title(),
        "trim": lambda s, chars=" \t": s.strip(chars),
    }
    parts: list[Callable[[dict[str, Any]], str]] = []
    pos = 0
    missing = 0

    def literal(chunk: str) -> Callable[[dict[str, Any]], str]:
        return lambda ctx: chunk

    def field(name: str, chain: list[str]) -> Callable[[dict[str, Any]], str]:
        def render(ctx: dict[str, Any]) -> str:
            nonlocal missing
            if name not in ctx:
                missing += 1
                if strict:
                    raise KeyError(name)
                return "{" + name + "}"
            out = str(ctx[name])
            for f in chain:
                out = filters[f](out)
            return out

        return render

    while (start := text.find("{", pos)) != -1:
        end = text.index("}", start)
        parts.append(literal(text[pos:start]))
        name, *chain = (p.strip() for p in text[start + 1 : end].split("|"))
        if unknown := [f for f in chain if f not in filters]:
            raise ValueError(f"unknown filters {unknown} in {text[start:end + 1]!r}")
        parts.append(field(name, chain))
        pos = end + 1
    parts.append(literal(text[pos:]))

    def render_all(**ctx: Any) -> str:
        global _rendered
        _rendered += 1
        return "".join(part(ctx) for part in parts)

    render_all.missing = lambda: missing  # type: ignore[attr-defined]
    return render_all


class Grid:
    def __init__(self, rows: list[list[int]]) -> None:
        self.rows = rows

    def __matmul__(self, other: "Grid") -> "Grid":
        cols = list(zip(*other.rows))
        return Grid([[sum(a * b for a, b in zip(r, c)) for c in cols] for r in self.rows])

    def __imatmul__(self, other: "Grid") -> "Grid":
        self.rows = (self @ other).rows
        return self


if __name__ == "__main__":
    engine = Engine(
        Threshold("cpu", ">", 0.9),
        Absent("heartbeat"),
        {"any": [Threshold("mem", ">=", 0.8), Threshold("disk", "<", 0.05)]},
    )
    for line in engine.evaluate([Metric("cpu", 0.97), {"name": "mem", "value": 0.8}, ("disk", 0.5)]):
        print("ALERT", line)
    alert = compile_template("{host | upper}: {check|title} is {state|trim}", strict=False)
    print(alert(host="db-1", check="disk usage", state="  critical "))
    g = Grid([[1, 2], [3, 4]])
    g @= Grid([[0, 1], [1, 0]])
    print(g.rows, _rendered)
