# Ananke grammar warm-up text: original code, not part of the build.
"""An asyncio job queue with retries, priorities and graceful shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, ParamSpec, TypeVar

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")


class JobFailed(Exception):
    def __init__(self, name: str, attempts: int, cause: BaseException) -> None:
        super().__init__(f"job {name!r} failed after {attempts} attempt(s): {cause}")
        self.name = name
        self.attempts = attempts
        self.__cause__ = cause


class RetryableError(Exception):
    """Raise this from a job to ask the queue to try again later."""


def retry(times: int = 3, *, base_delay: float = 0.1, exceptions: tuple[type[BaseException], ...] = (RetryableError,)):
    """Decorator for coroutine functions: retry with exponential backoff and jitter."""

    def decorator(func: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
        @functools.wraps(func)
        async def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
            for attempt in range(1, times + 1):
                try:
                    return await func(*args, **kwargs)
                except exceptions as exc:
                    if attempt == times:
                        raise
                    delay = base_delay * 2 ** (attempt - 1) * random.uniform(0.5, 1.5)
                    log.warning("%s failed (%s); retry %d/%d in %.2fs", func.__name__, exc, attempt, times, delay)
                    await asyncio.sleep(delay)
            raise AssertionError("unreachable")

        return wrapper

    return decorator


def timed(func: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
    @functools.wraps(func)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        started = time.perf_counter()
        try:
            return await func(*args, **kwargs)
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1e3
            log.debug("%s took %.1f ms", func.__qualname__, elapsed_ms)

    return wrapper


_counter = itertools.count()


@dataclass(order=True)
class Job(Generic[T]):
    priority: int
    seq: int = field(default_factory=lambda: next(_counter))
    name: str = field(default="", compare=False)
    run: Callable[[], Awaitable[T]] | None = field(default=None, compare=False, repr=False)
    attempts: int = field(default=0, compare=False)
    max_attempts: int = field(default=3, compare=False)
    future: asyncio.Future[T] | None = field(default=None, compare=False, repr=False)


@dataclass
class QueueStats:
    submitted: int = 0
    succeeded: int = 0
    failed: int = 0
    retried: int = 0

    def as_line(self) -> str:
        return ", ".join(f"{key}={value}" for key, value in vars(self).items())


class TaskQueue:
    def __init__(self, workers: int = 4, *, retry_delay: float = 0.05) -> None:
        if workers < 1:
            raise ValueError("need at least one worker")
        self._queue: asyncio.PriorityQueue[Job[Any]] = asyncio.PriorityQueue()
        self._workers: list[asyncio.Task[None]] = []
        self._size = workers
        self._retry_delay = retry_delay
        self._closing = False
        self.stats = QueueStats()

    async def __aenter__(self) -> "TaskQueue":
        self.start()
        return self

    async def __aexit__(self, exc_type, exc, tb) -> bool | None:
        await self.close(drain=exc is None)
        return None

    def start(self) -> None:
        if self._workers:
            return
        self._workers = [asyncio.create_task(self._worker(n), name=f"worker-{n}") for n in range(self._size)]

    def submit(self, func: Callable[[], Awaitable[T]], *, name: str = "", priority: int = 10) -> asyncio.Future[T]:
        if self._closing:
            raise RuntimeError("queue is closing; no new jobs accepted")
        loop = asyncio.get_running_loop()
        job: Job[T] = Job(priority=priority, name=name or getattr(func, "__name__", "job"), run=func)
        job.future = loop.create_future()
        self._queue.put_nowait(job)
        self.stats.submitted += 1
        return job.future

    async def _worker(self, index: int) -> None:
        while True:
            job = await self._queue.get()
            try:
                await self._execute(job)
            except asyncio.CancelledError:
                if job.future and not job.future.done():
                    job.future.cancel()
                raise
            finally:
                self._queue.task_done()

    async def _execute(self, job: Job[Any]) -> None:
        assert job.run is not None and job.future is not None
        job.attempts += 1
        try:
            result = await job.run()
        except RetryableError as exc:
            if job.attempts < job.max_attempts:
                self.stats.retried += 1
                await asyncio.sleep(self._retry_delay * job.attempts)
                self._queue.put_nowait(job)
                return
            self.stats.failed += 1
            job.future.set_exception(JobFailed(job.name, job.attempts, exc))
        except Exception as exc:  # noqa: BLE001 - a job may raise anything
            self.stats.failed += 1
            if not job.future.done():
                job.future.set_exception(exc)
        else:
            self.stats.succeeded += 1
            if not job.future.done():
                job.future.set_result(result)

    async def close(self, *, drain: bool = True, timeout: float | None = 30.0) -> None:
        self._closing = True
        if drain:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._queue.join(), timeout)
        for task in self._workers:
            task.cancel()
        results = await asyncio.gather(*self._workers, return_exceptions=True)
        errors = [r for r in results if isinstance(r, Exception) and not isinstance(r, asyncio.CancelledError)]
        if errors:
            log.error("workers ended with %d error(s): %s", len(errors), errors)
        self._workers.clear()


async def gather_limited(limit: int, *coros: Awaitable[T]) -> list[T]:
    """Like asyncio.gather, but never runs more than `limit` coroutines at once."""
    semaphore = asyncio.Semaphore(limit)

    async def guarded(coro: Awaitable[T]) -> T:
        async with semaphore:
            return await coro

    return list(await asyncio.gather(*(guarded(c) for c in coros)))


async def _demo() -> None:
    flaky_calls = 0

    async def flaky() -> str:
        nonlocal flaky_calls
        flaky_calls += 1
        if flaky_calls < 3:
            raise RetryableError("not yet")
        return "finally"

    @timed
    async def slow_square(x: int) -> int:
        await asyncio.sleep(0.01 * x)
        return x * x

    async with TaskQueue(workers=2) as queue:
        futures = [queue.submit(functools.partial(slow_square, n), priority=n) for n in range(5)]
        futures.append(queue.submit(flaky, name="flaky", priority=0))
        done = await asyncio.gather(*futures, return_exceptions=True)
    print(done, queue.stats.as_line(), sep="\n")


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)-7s %(message)s")
    asyncio.run(_demo())
