# Ananke grammar warm-up text: original code, not part of the build.
"""Assorted helpers: context managers, binary framing, caching and text tools."""

import contextlib
import hashlib
import os
import re
import struct
import tempfile
import threading
import time
import zlib
from collections import OrderedDict
from functools import wraps
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

__all__ = ["atomic_write", "Timer", "slugify", "frame", "unframe", "ttl_cache", "chunked"]

T = TypeVar("T")

MAGIC = b"\x89AWU\r\n"
HEADER = struct.Struct(">6sBHI")  # magic, version, flags, payload length
VERSION = 0x01
FLAG_COMPRESSED = 0b0000_0001
MAX_PAYLOAD = 16 * 1024**2
WINDOWS_PATH = r"C:\Users\example\AppData\Local"
_SLUG_STRIP = re.compile(r"[^\w\s-]", re.UNICODE)
_SLUG_SPACES = re.compile(r"[-\s]+")
_DURATION = re.compile(rb"(?P<value>\d+(?:\.\d+)?)(?P<unit>ms|s|m|h)")
_UNIT_SECONDS = {b"ms": 1e-3, b"s": 1.0, b"m": 60.0, b"h": 3_600.0}


class FramingError(ValueError):
    pass


@contextlib.contextmanager
def atomic_write(path: "str | os.PathLike[str]", mode: str = "w", **kwargs) -> Iterator:
    """Write to a temporary file and move it into place only on success."""
    target = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


class Timer:
    """Context manager and decorator that measures wall-clock time."""

    __slots__ = ("label", "elapsed", "_start", "_sink")

    def __init__(self, label: str = "block", sink: Callable[[str], None] | None = print) -> None:
        self.label = label
        self.elapsed = 0.0
        self._start: float | None = None
        self._sink = sink

    def __enter__(self) -> "Timer":
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc_info) -> bool:
        assert self._start is not None, "Timer exited before it was entered"
        self.elapsed = time.perf_counter() - self._start
        if self._sink:
            self._sink(f"{self.label}: {self.elapsed * 1000:.3f} ms")
        return False

    def __call__(self, func):
        @wraps(func)
        def wrapper(*args, **kwargs):
            with Timer(self.label or func.__name__, self._sink):
                return func(*args, **kwargs)

        return wrapper


def slugify(text: str, max_length: int = 64) -> str:
    """Lowercase, strip punctuation and join words with hyphens: 'Hello, World!' -> 'hello-world'."""
    cleaned = _SLUG_STRIP.sub("", text).strip().lower()
    slug = _SLUG_SPACES.sub("-", cleaned)
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug or "untitled"


def frame(payload: bytes, *, compress: bool = False) -> bytes:
    flags = 0
    if compress and len(payload) > 256:
        payload, flags = zlib.compress(payload, level=6), flags | FLAG_COMPRESSED
    if len(payload) > MAX_PAYLOAD:
        raise FramingError(f"payload too large: {len(payload):_} bytes")
    checksum = hashlib.blake2b(payload, digest_size=4).digest()
    return HEADER.pack(MAGIC, VERSION, flags, len(payload)) + payload + checksum


def unframe(blob: bytes | memoryview) -> tuple[bytes, bytes]:
    """Decode one frame; returns (payload, remaining bytes)."""
    view = memoryview(blob)
    if len(view) < HEADER.size:
        raise FramingError("truncated header")
    magic, version, flags, length = HEADER.unpack_from(view)
    if magic != MAGIC or not 0 < version <= VERSION:
        raise FramingError(f"bad magic {magic!r} or version {version:#04x}")
    end = HEADER.size + length
    if (available := len(view) - HEADER.size - 4) < length:
        raise FramingError(f"expected {length} payload bytes, only {available} present")
    payload, checksum = bytes(view[HEADER.size:end]), bytes(view[end:end + 4])
    if hashlib.blake2b(payload, digest_size=4).digest() != checksum:
        raise FramingError("checksum mismatch")
    if flags & FLAG_COMPRESSED:
        payload = zlib.decompress(payload)
    return payload, bytes(view[end + 4:])


def parse_duration(text: str | bytes) -> float:
    raw = text.encode() if isinstance(text, str) else text
    total, pos = 0.0, 0
    while pos < len(raw):
        if not (m := _DURATION.match(raw, pos)):
            raise ValueError(f"bad duration near {raw[pos:]!r}")
        total += float(m["value"]) * _UNIT_SECONDS[m["unit"]]
        pos = m.end()
    else:
        return total


def ttl_cache(seconds: float = 60.0, maxsize: int = 128):
    """Memoize a function of hashable arguments for a limited time."""

    def decorator(func: Callable[..., T]) -> Callable[..., T]:
        entries: "OrderedDict[tuple, tuple[float, T]]" = OrderedDict()
        lock = threading.RLock()

        @wraps(func)
        def wrapper(*args, **kwargs) -> T:
            key = (args, tuple(sorted(kwargs.items())))
            now = time.monotonic()
            with lock:
                if (hit := entries.get(key)) is not None and now - hit[0] < seconds:
                    entries.move_to_end(key)
                    return hit[1]
            value = func(*args, **kwargs)
            with lock:
                entries[key] = (now, value)
                while len(entries) > maxsize:
                    entries.popitem(last=False)
            return value

        wrapper.cache_clear = entries.clear  # type: ignore[attr-defined]
        return wrapper

    return decorator


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    if size < 1:
        raise ValueError("size must be >= 1")
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def flatten(nested: Iterable) -> Iterator:
    for item in nested:
        if isinstance(item, (list, tuple, set, frozenset)):
            yield from flatten(item)
        else:
            yield item


NUMBERS = [0, -17, 3.14, 6.02e23, 1_000_000, 0xFF, 0o17, 0b1010, 2j, 1.5e-3, .25, 10.]
ESCAPES = ("tab\there", 'quote\'s', """triple "quoted" text""", b"\x00\xff", rb"\d+", Rb"raw\bytes", "\N{BULLET} item")
