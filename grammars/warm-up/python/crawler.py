# Ananke grammar warm-up text: original code, not part of the build.
"""A polite asynchronous crawler with per-host limits and streaming results."""

import asyncio
import contextlib
import re
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

HREF = re.compile(r"""href\s*=\s*["']([^"'#]+)""", re.IGNORECASE)
TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
Fetcher = Callable[[str], Awaitable[tuple[int, str]]]


@dataclass(slots=True)
class Page:
    url: str
    status: int
    depth: int
    title: str = ""
    links: list[str] = field(default_factory=list)
    elapsed_ms: float = 0.0

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@dataclass
class CrawlStats:
    fetched: int = 0
    failed: int = 0
    skipped: int = 0
    bytes_read: int = 0
    per_host: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class HostLimiter:
    """One semaphore per host plus a minimum gap between requests to it."""

    def __init__(self, per_host: int = 2, min_gap: float = 0.05) -> None:
        self._per_host = per_host
        self._min_gap = min_gap
        self._locks: dict[str, asyncio.Semaphore] = {}
        self._last: dict[str, float] = {}

    @contextlib.asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[str]:
        host = urlsplit(url).netloc.lower()
        sem = self._locks.setdefault(host, asyncio.Semaphore(self._per_host))
        async with sem:
            if (wait := self._last.get(host, 0.0) + self._min_gap - time.monotonic()) > 0:
                await asyncio.sleep(wait)
            try:
                yield host
            finally:
                self._last[host] = time.monotonic()


class Crawler:
    def __init__(
        self,
        fetch: Fetcher,
        *,
        max_depth: int = 2,
        max_pages: int = 100,
        workers: int = 4,
        allow: Callable[[str], bool] = lambda url: url.startswith(("http://", "https://")),
    ) -> None:
        self._fetch = fetch
        self.max_depth, self.max_pages, self.workers = max_depth, max_pages, workers
        self._allow = allow
        self._limiter = HostLimiter()
        self._seen: set[str] = set()
        self.stats = CrawlStats()

    def _extract(self, base: str, html: str) -> tuple[str, list[str]]:
        title = m.group(1).strip() if (m := TITLE.search(html)) else ""
        found = {urldefrag(urljoin(base, href))[0] for href in HREF.findall(html)}
        return " ".join(title.split()), sorted(u for u in found if self._allow(u))

    async def _visit(self, url: str, depth: int) -> Page | None:
        async with self._limiter.slot(url) as host:
            started = time.perf_counter()
            for attempt in range(1, 4):
                try:
                    status, body = await asyncio.wait_for(self._fetch(url), timeout=5.0)
                except asyncio.TimeoutError:
                    if attempt == 3:
                        self.stats.failed += 1
                        return None
                    await asyncio.sleep(0.1 * 2**attempt)
                    continue
                except (ConnectionError, OSError) as exc:
                    self.stats.failed += 1
                    print(f"[{host}] {url} failed: {exc!s:.60}")
                    return None
                else:
                    self.stats.per_host[host] += 1
                    self.stats.bytes_read += len(body.encode())
                    break
            else:
                return None
        title, links = self._extract(url, body) if 200 <= status < 300 else ("", [])
        elapsed = (time.perf_counter() - started) * 1_000
        return Page(url, status, depth, title, links, elapsed_ms=round(elapsed, 2))

    async def pages(self, *seeds: str) -> AsyncIterator[Page]:
        queue: asyncio.Queue[tuple[str, int] | None] = asyncio.Queue()
        results: asyncio.Queue[Page | None] = asyncio.Queue()
        for seed in seeds:
            if seed not in self._seen:
                self._seen.add(seed)
                queue.put_nowait((seed, 0))

        async def worker(ident: int) -> None:
            while (item := await queue.get()) is not None:
                url, depth = item
                try:
                    page = await self._visit(url, depth)
                    if page is None:
                        continue
                    self.stats.fetched += 1
                    if depth < self.max_depth:
                        for link in page.links:
                            if link in self._seen or len(self._seen) >= self.max_pages:
                                self.stats.skipped += 1
                                continue
                            self._seen.add(link)
                            await queue.put((link, depth + 1))
                    await results.put(page)
                finally:
                    queue.task_done()
            await results.put(None)

        async def closer() -> None:
            await queue.join()
            for _ in range(self.workers):
                queue.put_nowait(None)

        async with asyncio.TaskGroup() as group:
            for n in range(self.workers):
                group.create_task(worker(n), name=f"crawl-worker-{n}")
            group.create_task(closer())
            remaining = self.workers
            while remaining:
                page = await results.get()
                if page is None:
                    remaining -= 1
                else:
                    yield page


async def by_depth(pages: AsyncIterator[Page], limit: int = 3) -> AsyncIterator[tuple[int, list[str]]]:
    """Group a stream of pages into batches per depth, flushing when a depth grows."""
    buckets: dict[int, deque[str]] = defaultdict(lambda: deque(maxlen=limit))

    async def only_ok() -> AsyncIterator[Page]:
        async for page in pages:
            if page.ok:
                yield page

    async for page in only_ok():
        bucket = buckets[page.depth]
        bucket.append(page.url)
        if len(bucket) == limit:
            yield page.depth, list(bucket)
            bucket.clear()
    for depth in sorted(buckets):
        if rest := list(buckets[depth]):
            yield depth, rest


def fake_site(size: int = 12) -> Fetcher:
    pages = {
        f"https://example.test/p{i}": (
            f"<html><title> Page {i} </title>"
            f"<a href='/p{(i * 3) % size}'>x</a><a href=\"/p{(i + 1) % size}#top\">y</a></html>"
        )
        for i in range(size)
    }

    async def fetch(url: str) -> tuple[int, str]:
        await asyncio.sleep(0.001 * (hash(url) % 5))
        return (200, pages[url]) if url in pages else (404, "")

    return fetch


async def main() -> None:
    crawler = Crawler(fake_site(), max_depth=3, workers=3)
    titles = [p.title async for p in crawler.pages("https://example.test/p0") if p.title]
    print(f"{len(titles)} titles, {crawler.stats.fetched=}, {crawler.stats.skipped=}")
    crawler = Crawler(fake_site(20), max_depth=2)
    async for depth, urls in by_depth(crawler.pages("https://example.test/p1")):
        print(f"depth {depth}: " + ", ".join(u.rsplit("/", 1)[-1] for u in urls))


if __name__ == "__main__":
    asyncio.run(main())
