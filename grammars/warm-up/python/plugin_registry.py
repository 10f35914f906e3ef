# Ananke grammar warm-up text: original code, not part of the build.
"""A plugin registry that discovers, orders and configures exporter plugins."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, ClassVar, Generic, TypeVar, overload

P = TypeVar("P", bound="Plugin")
K = TypeVar("K")
V = TypeVar("V")

_REGISTRY: dict[str, type[Plugin]] = {}
_load_order: list[str] = []
DEFAULT_PRIORITY = 50


class RegistryError(LookupError):
    def __init__(self, name: str, *, known: Iterable[str] = ()) -> None:
        hint = ", ".join(sorted(known)) or "<none>"
        super().__init__(f"no plugin named {name!r}; known: {hint}")
        self.name = name


def register(name: str | None = None, /, *, priority: int = DEFAULT_PRIORITY, tags: tuple[str, ...] = ()):
    """Class decorator that records a plugin under a name without a metaclass."""

    def decorate(cls: type[P]) -> type[P]:
        global _load_order
        key = (name or cls.__name__).lower().replace("_", "-")
        if key in _REGISTRY and _REGISTRY[key] is not cls:
            raise ValueError(f"duplicate plugin {key!r}: {_REGISTRY[key].__qualname__} vs {cls.__qualname__}")
        cls.plugin_name = key
        cls.priority = priority
        cls.tags = frozenset(t.strip().lower() for t in tags if t and not t.isspace())
        _REGISTRY[key] = cls
        _load_order = sorted({*_load_order, key}, key=lambda k: (-_REGISTRY[k].priority, k))
        return cls

    return decorate


class Plugin:
    plugin_name: ClassVar[str] = "<abstract>"
    priority: ClassVar[int] = DEFAULT_PRIORITY
    tags: ClassVar[frozenset[str]] = frozenset()

    class Options:
        """Per-plugin options with defaults collected from the class hierarchy."""

        defaults: ClassVar[dict[str, Any]] = {"enabled": True, "retries": 2}

        def __init__(self, overrides: Mapping[str, Any] | None = None, **extra: Any) -> None:
            merged = {k: v for k, v in self.defaults.items()}
            merged |= dict(overrides or {})
            merged.update(extra)
            self._values = merged

        def __getitem__(self, key: str) -> Any:
            return self._values[key]

        def unknown(self) -> set[str]:
            return {k for k in self._values if k not in self.defaults and not k.startswith("x-")}

    def __init__(self, options: Plugin.Options | None = None) -> None:
        self.options = options or self.Options()
        self._enabled = bool(self.options["enabled"])
        self._calls = 0

    @property
    def enabled(self) -> bool:
        return self._enabled

    @enabled.setter
    def enabled(self, value: bool) -> None:
        if not isinstance(value, bool):
            raise TypeError(f"enabled must be bool, got {type(value).__name__}")
        self._enabled = value

    @classmethod
    def describe(cls) -> str:
        tag_text = "/".join(sorted(cls.tags)) if cls.tags else "untagged"
        return f"{cls.plugin_name:<16}|{cls.priority:>4d}| {tag_text}"

    @staticmethod
    def normalise(record: Mapping[str, Any]) -> dict[str, Any]:
        return {str(k).strip(): v for k, v in record.items() if v is not None}

    def export(self, records: Iterable[Mapping[str, Any]]) -> Iterator[str]:
        raise NotImplementedError


@register("csv", priority=70, tags=("text", "tabular"))
class CsvExporter(Plugin):
    class Options(Plugin.Options):
        defaults = {**Plugin.Options.defaults, "delimiter": ",", "quote": '"'}

    def export(self, records: Iterable[Mapping[str, Any]]) -> Iterator[str]:
        delim, quote = self.options["delimiter"], self.options["quote"]
        header: list[str] | None = None
        for index, raw in enumerate(records):
            row = self.normalise(raw)
            if header is None:
                header = list(row)
                yield delim.join(header)
            cells = []
            for column in header:
                value = row.get(column, "")
                text = f"{value}"
                if delim in text or quote in text or "\n" in text:
                    text = quote + text.replace(quote, quote * 2) + quote
                cells.append(text)
            self._calls += 1
            yield delim.join(cells)
            if index and index % 1000 == 0:
                yield f"# progress: {index=:,}"


@register(tags=("text",))
class Markdown_Table(Plugin):
    def export(self, records: Iterable[Mapping[str, Any]]) -> Iterator[str]:
        rows = [self.normalise(r) for r in records]
        if not rows:
            return
        columns = list(dict.fromkeys(k for row in rows for k in row))
        widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns}
        yield "| " + " | ".join(c.ljust(widths[c]) for c in columns) + " |"
        yield "|" + "|".join("-" * (widths[c] + 2) for c in columns) + "|"
        yield from (
            "| " + " | ".join(str(r.get(c, "")).ljust(widths[c]) for c in columns) + " |"
            for r in rows
        )


@register("jsonl", priority=90, tags=("text", "machine"))
class JsonLinesExporter(Plugin):
    def export(self, records: Iterable[Mapping[str, Any]]) -> Iterator[str]:
        import json

        dumps = functools.partial(json.dumps, sort_keys=True, separators=(",", ":"), default=str)
        for record in records:
            try:
                line = dumps(self.normalise(record))
            except (TypeError, ValueError) as exc:
                line = dumps({"error": f"{exc.__class__.__name__}: {exc}"})
            else:
                self._calls += 1
            yield line


class LazyMap(Generic[K, V]):
    """A mapping that builds values on first access with a factory."""

    def __init__(self, factory: Callable[[K], V], keys: Iterable[K] = ()) -> None:
        self._factory = factory
        self._keys = list(keys)
        self._cache: dict[K, V] = {}

    @overload
    def get(self, key: K) -> V | None: ...

    @overload
    def get(self, key: K, default: V) -> V: ...

    def get(self, key: K, default: V | None = None) -> V | None:
        if key not in self._keys:
            return default
        if (cached := self._cache.get(key)) is not None:
            return cached
        value = self._cache[key] = self._factory(key)
        return value

    def __iter__(self) -> Iterator[K]:
        yield from self._keys


def lookup(name: str) -> type[Plugin]:
    try:
        return _REGISTRY[name.lower()]
    except KeyError:
        raise RegistryError(name, known=_REGISTRY) from None


def plugins_tagged(*wanted: str, match_all: bool = False) -> list[type[Plugin]]:
    want = {w.lower() for w in wanted}
    test = (lambda tags: want <= tags) if match_all else (lambda tags: bool(want & tags))
    return [_REGISTRY[name] for name in _load_order if not want or test(_REGISTRY[name].tags)]


def build_all(config: Mapping[str, Mapping[str, Any]], *, strict=False) -> LazyMap[str, Plugin]:
    def make(name: str) -> Plugin:
        cls = lookup(name)
        opts = cls.Options(config.get(name, {}))
        if strict and (extra := opts.unknown()):
            raise ValueError(f"{name}: unknown options {sorted(extra)}")
        return cls(opts)

    return LazyMap(make, [n for n in _load_order if config.get(n, {}).get("enabled", True)])


if __name__ == "__main__":
    sample = [{"id": i, "name": f"item-{i:03}", "price": round(i * 1.25, 2)} for i in range(1, 5)]
    for plugin_cls in plugins_tagged("text"):
        print(plugin_cls.describe())
    registry = build_all({"csv": {"delimiter": ";"}, "jsonl": {"enabled": False}})
    for plugin_name in registry:
        instance = registry.get(plugin_name)
        assert instance is not None, plugin_name
        print(*instance.export(sample), sep="\n", end="\n\n")
