# Ananke grammar warm-up text: original code, not part of the build.
import asyncio
import io
import sqlite3
import unittest
from decimal import Decimal
from unittest import mock

from models import Money, Order, Product, Status, product_from_row
from query import Query, col, quote_ident
from report import load_sales, summarize
from task_queue import RetryableError, TaskQueue
from textutil import FramingError, chunked, frame, parse_duration, slugify, unframe


class QueryBuilderTests(unittest.TestCase):
    def setUp(self) -> None:
        self.conn = sqlite3.connect(":memory:")
        self.conn.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL, kind TEXT)")
        self.conn.executemany(
            "INSERT INTO items (name, price, kind) VALUES (?, ?, ?)",
            [("pen", 1.5, "office"), ("desk", 120.0, "furniture"), ("lamp", 35.0, None)],
        )
        self.addCleanup(self.conn.close)

    def test_builds_parameterised_sql(self) -> None:
        query = Query("items").select("name").where(col("price") >= 10, kind="furniture").order_by("-price")
        sql, params = query.build()
        self.assertEqual(sql, 'SELECT "name" FROM "items" WHERE ("price" >= ?) AND ("kind" = ?) ORDER BY "price" DESC')
        self.assertEqual(params, [10, "furniture"])

    def test_none_becomes_is_null_and_runs(self) -> None:
        rows = list(Query("items").where(col("kind") == None).run(self.conn))  # noqa: E711
        self.assertEqual([row["name"] for row in rows], ["lamp"])

    def test_combinators(self) -> None:
        expr = (col("price") < 2) | ~col("name").isin(["desk", "lamp"])
        sql, params = expr.render()
        self.assertIn("NOT", sql)
        self.assertEqual(params, [2, "desk", "lamp"])

    def test_rejects_bad_identifiers(self) -> None:
        for bad in ("drop table", "x;--", "1abc", ""):
            with self.subTest(identifier=bad), self.assertRaises(ValueError):
                quote_ident(bad)


class ModelTests(unittest.TestCase):
    def test_order_total(self) -> None:
        pen = Product("PEN-1", "Blue   pen", Money(Decimal("1.499")))
        order = Order("ada")
        order.add(pen, 3)
        order.add(pen, 1, discount=0.5)
        self.assertEqual(pen.name, "Blue pen")
        self.assertEqual(len(order), 4)
        self.assertEqual(str(order.total), "6.00 EUR")

    def test_product_from_row(self) -> None:
        product = product_from_row({"sku": "ab-2", "name": "Lamp", "price": "35", "tags": "home; light;"})
        self.assertEqual((product.sku, product.status, product.tags), ("AB-2", Status.PENDING, {"home", "light"}))
        with self.assertRaisesRegex(ValueError, r"unknown status 'gone'"):
            Status.parse("gone")


class TextUtilTests(unittest.TestCase):
    def test_frame_roundtrip(self) -> None:
        payload = b"hello " * 100
        blob = frame(payload, compress=True) + b"tail"
        self.assertEqual(unframe(blob), (payload, b"tail"))
        with self.assertRaises(FramingError):
            unframe(blob[:-10])

    def test_misc(self) -> None:
        self.assertEqual(slugify("  Hello, World! "), "hello-world")
        self.assertAlmostEqual(parse_duration("1h30m15.5s"), 5415.5)
        self.assertEqual(list(chunked(range(5), 2)), [[0, 1], [2, 3], [4]])


class ReportTests(unittest.TestCase):
    CSV = "date,region,product,units,revenue\n2024-03-01,north,pen,3,4.50\n01/03/2024,south,desk,1,\"1,200\"\nbad,row\n"

    def test_load_and_summarize(self) -> None:
        result = load_sales(io.StringIO(self.CSV))
        self.assertEqual(len(result.sales), 2)
        self.assertEqual(result.skipped[0][0], 4)
        top, *rest = summarize(result.sales, "region")
        self.assertEqual((top["key"], top["revenue"]), ("South", 1200.0))
        self.assertEqual(len(rest), 1)


class TaskQueueTests(unittest.IsolatedAsyncioTestCase):
    async def test_retries_then_succeeds(self) -> None:
        attempts = mock.Mock(side_effect=[RetryableError("busy"), None])

        async def job() -> int:
            attempts()
            return 7

        async with TaskQueue(workers=1, retry_delay=0) as queue:
            result = await asyncio.wait_for(queue.submit(job), timeout=2)
        self.assertEqual(result, 7)
        self.assertEqual(queue.stats.retried, 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
