# Ananke grammar warm-up text: original code, not part of the build.
"""One-way directory sync with checksums, retries and a resumable journal."""

import errno
import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from enum import Enum, auto
from pathlib import Path
from typing import Iterator, NamedTuple

CHUNK = 1 << 16
_total_retries = 0
IGNORED = frozenset({".DS_Store", "Thumbs.db", ".sync-journal"})


class Action(Enum):
    COPY = auto()
    UPDATE = auto()
    DELETE = auto()
    SKIP = auto()


class Entry(NamedTuple):
    rel: str
    size: int
    mtime_ns: int


@dataclass
class Plan:
    actions: list[tuple[Action, str]]
    bytes_to_copy: int = 0

    def summary(self) -> str:
        counts = {a: sum(1 for act, _ in self.actions if act is a) for a in Action}
        parts = [f"{a.name.lower()}={n}" for a, n in counts.items() if n]
        return ", ".join(parts) + f" ({self.bytes_to_copy / 1024:.1f} KiB)"


def digest(path: Path, *, algo: str = "blake2b") -> str:
    h = hashlib.new(algo)
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            h.update(block)
    return h.hexdigest()


def scan(root: Path) -> Iterator[Entry]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name in IGNORED or name.endswith(("~", ".tmp")):
                continue
            full = Path(dirpath, name)
            try:
                st = full.stat()
            except FileNotFoundError:
                continue
            yield Entry(full.relative_to(root).as_posix(), st.st_size, st.st_mtime_ns)


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.done: dict[str, str] = {}
        if path.exists():
            try:
                with path.open(encoding="utf-8") as fh:
                    for lineno, line in enumerate(fh, 1):
                        if not line.strip():
                            continue
                        try:
                            rel, checksum = json.loads(line)
                        except ValueError:
                            print(f"journal line {lineno} is corrupt, ignoring", file=sys.stderr)
                        else:
                            self.done[rel] = checksum
            except OSError as exc:
                print(f"cannot read journal: {exc}", file=sys.stderr)

    def record(self, rel: str, checksum: str) -> None:
        self.done[rel] = checksum
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps([rel, checksum]) + "\n")

    def forget(self, rel: str) -> None:
        if rel in self.done:
            del self.done[rel]


class Syncer:
    RETRYABLE = {errno.EAGAIN, errno.EBUSY, errno.ETIMEDOUT}

    def __init__(self, source: Path, target: Path, *, retries: int = 3, dry_run: bool = False) -> None:
        self.source, self.target = source.resolve(), target.resolve()
        assert self.source != self.target, "source and target must differ"
        self.retries = retries
        self.dry_run = dry_run
        self.journal = Journal(self.target / ".sync-journal")
        self.log: list[str] = []

    def plan(self, *, delete_extra: bool = False) -> Plan:
        src = {e.rel: e for e in scan(self.source)}
        dst = {e.rel: e for e in scan(self.target)}
        plan = Plan([])
        for rel, entry in src.items():
            if (other := dst.get(rel)) is None:
                plan.actions.append((Action.COPY, rel))
                plan.bytes_to_copy += entry.size
            elif other.size != entry.size or other.mtime_ns < entry.mtime_ns:
                plan.actions.append((Action.UPDATE, rel))
                plan.bytes_to_copy += entry.size
            else:
                plan.actions.append((Action.SKIP, rel))
        if delete_extra:
            plan.actions += [(Action.DELETE, rel) for rel in sorted(dst.keys() - src.keys())]
        return plan

    def _copy_once(self, rel: str) -> str:
        src, dst = self.source / rel, self.target / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        tmp = dst.with_name(dst.name + ".part")
        try:
            shutil.copy2(src, tmp)
            checksum = digest(tmp)
            if checksum != digest(src):
                raise OSError(errno.EAGAIN, "checksum mismatch after copy", str(src))
            os.replace(tmp, dst)
            return checksum
        finally:
            if tmp.exists():
                tmp.unlink()

    def apply(self, plan: Plan) -> dict[Action, int]:
        global _total_retries
        done = dict.fromkeys(Action, 0)
        for action, rel in plan.actions:
            if action is Action.SKIP or rel in self.journal.done:
                done[Action.SKIP] += 1
                continue
            if self.dry_run:
                self.log.append(f"would {action.name.lower()} {rel}"); continue
            attempt, delay = 0, 0.05
            while True:
                attempt += 1
                try:
                    if action is Action.DELETE:
                        try:
                            (self.target / rel).unlink()
                        except FileNotFoundError:
                            pass
                        finally:
                            self.journal.forget(rel)
                    else:
                        checksum = self._copy_once(rel)
                        self.journal.record(rel, checksum)
                except PermissionError as exc:
                    self.log.append(f"denied {rel}: {exc.strerror}")
                    break
                except OSError as exc:
                    if exc.errno in self.RETRYABLE and attempt <= self.retries:
                        _total_retries += 1
                        delay *= 2
                        delay = min(delay, 1.0)
                        self.log.append(f"retry {attempt}/{self.retries} {rel} in {delay:.2f}s")
                        time.sleep(delay)
                        continue
                    self.log.append(f"gave up on {rel}: {exc!r}")
                    break
                else:
                    done[action] += 1
                    break
                finally:
                    if attempt > self.retries + 1:
                        self.log.append(f"attempt budget exceeded for {rel}")
        return done


def human(n: float, *, units: tuple[str, ...] = ("B", "KiB", "MiB", "GiB")) -> str:
    first, *rest = units
    unit = first
    for unit in (first, *rest):
        if n < 1024 or unit == units[-1]:
            break
        n /= 1024
    return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"


def bit_flags(mode: int) -> str:
    """Exercise every augmented operator on a scratch value derived from a file mode."""
    x = mode & 0o777
    x |= 0o400
    x &= ~0o002
    x ^= 0o010
    x <<= 1
    x >>= 1
    x += 1
    x -= 1
    x *= 3
    x //= 3
    x %= 0o1000
    x **= 1
    y = float(x)
    y /= 2
    flags = "".join("rwx"[i % 3] if x & (1 << (8 - i)) else "-" for i in range(9))
    return flags[::-1][::-1] + f" ({y:g})"


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: file_sync.py SOURCE TARGET [--dry-run] [--delete]", file=sys.stderr)
        return 2
    source, target, *options = argv
    syncer = Syncer(Path(source), Path(target), dry_run="--dry-run" in options)
    plan = syncer.plan(delete_extra="--delete" in options)
    print("plan:", plan.summary(), "| total", human(plan.bytes_to_copy))
    counts = syncer.apply(plan)
    for line in syncer.log[-20:]:
        print("  " + line)
    print(*(f"{a.name:<7}{n:>5}" for a, n in counts.items()), sep="\n")
    failed = sum(1 for line in syncer.log if line.startswith("gave up")) \
        + sum(1 for line in syncer.log if line.startswith("denied"))
    return 0 if not failed else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
