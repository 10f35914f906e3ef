# Ananke grammar warm-up text: original code, not part of the build.
"""Command-line tool that turns sales CSV exports into summary reports.

Example:
    python report.py sales.csv --group-by region --format json -o out.json
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Iterable, NamedTuple, TypedDict

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y%m%d")


class Sale(NamedTuple):
    day: datetime
    region: str
    product: str
    units: int
    revenue: float


class GroupSummary(TypedDict):
    key: str
    orders: int
    units: int
    revenue: float
    median_order: float
    top_product: str | None


@dataclass
class LoadResult:
    sales: list[Sale]
    skipped: list[tuple[int, str]]

    @property
    def ok_ratio(self) -> float:
        total = len(self.sales) + len(self.skipped)
        return len(self.sales) / total if total else 1.0


def parse_day(text: str) -> datetime:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    raise ValueError(f"unrecognised date {text!r}")


def load_sales(stream: IO[str]) -> LoadResult:
    reader = csv.DictReader(stream)
    sales: list[Sale] = []
    skipped: list[tuple[int, str]] = []
    for lineno, row in enumerate(reader, start=2):
        try:
            sales.append(
                Sale(
                    day=parse_day(row["date"]),
                    region=(row.get("region") or "unknown").title(),
                    product=row["product"].strip(),
                    units=int(row["units"]),
                    revenue=float(row["revenue"].replace(",", "")),
                )
            )
        except (KeyError, ValueError) as exc:
            skipped.append((lineno, f"{type(exc).__name__}: {exc}"))
    return LoadResult(sales, skipped)


def summarize(sales: Iterable[Sale], key: str) -> list[GroupSummary]:
    groups: defaultdict[str, list[Sale]] = defaultdict(list)
    for sale in sales:
        match key:
            case "region":
                groups[sale.region].append(sale)
            case "product":
                groups[sale.product].append(sale)
            case "month":
                groups[sale.day.strftime("%Y-%m")].append(sale)
            case "weekday":
                groups[sale.day.strftime("%A")].append(sale)
            case other:
                raise ValueError(f"cannot group by {other!r}")

    summaries: list[GroupSummary] = []
    for name, items in sorted(groups.items()):
        products = Counter({s.product: 0 for s in items})
        for s in items:
            products[s.product] += s.units
        top = products.most_common(1)
        summaries.append(
            {
                "key": name,
                "orders": len(items),
                "units": sum(s.units for s in items),
                "revenue": round(sum(s.revenue for s in items), 2),
                "median_order": round(statistics.median(s.revenue for s in items), 2),
                "top_product": top[0][0] if top else None,
            }
        )
    summaries.sort(key=lambda g: (-g["revenue"], g["key"]))
    return summaries


def render_text(rows: list[GroupSummary], title: str) -> str:
    if not rows:
        return f"{title}\n(no data)\n"
    width = max(len(r["key"]) for r in rows)
    lines = [title, "=" * len(title)]
    lines += [
        f"{r['key']:<{width}}  {r['orders']:>6,d} orders  {r['units']:>8,d} units  {r['revenue']:>12,.2f}"
        for r in rows
    ]
    grand = sum(r["revenue"] for r in rows)
    lines.append(f"{'TOTAL':<{width}}  {grand:>43,.2f}")
    return "\n".join(lines) + "\n"


def write_csv(rows: list[GroupSummary], out: IO[str]) -> None:
    writer = csv.DictWriter(out, fieldnames=list(GroupSummary.__annotations__), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="report", description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", type=Path, help="CSV files to read")
    parser.add_argument("-g", "--group-by", default="region", choices=["region", "product", "month", "weekday"])
    parser.add_argument("-f", "--format", dest="fmt", default="text", choices=("text", "json", "csv"))
    parser.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    parser.add_argument("--min-revenue", type=float, default=0.0, metavar="AMOUNT")
    parser.add_argument("-q", "--quiet", action="store_true", help="do not report skipped rows")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    all_sales: list[Sale] = []
    for path in args.inputs:
        if not path.is_file():
            print(f"report: {path}: no such file", file=sys.stderr)
            return 2
        with path.open(newline="", encoding="utf-8-sig") as handle:
            result = load_sales(handle)
        all_sales.extend(s for s in result.sales if s.revenue >= args.min_revenue)
        if result.skipped and not args.quiet:
            print(f"report: {path.name}: skipped {len(result.skipped)} row(s), "
                  f"{result.ok_ratio:.1%} usable", file=sys.stderr)
            for lineno, reason in result.skipped[:5]:
                print(f"  line {lineno}: {reason}", file=sys.stderr)

    rows = summarize(all_sales, args.group_by)
    out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    try:
        if args.fmt == "json":
            json.dump({"group_by": args.group_by, "groups": rows}, out, indent=2, ensure_ascii=False)
            out.write("\n")
        elif args.fmt == "csv":
            write_csv(rows, out)
        else:
            out.write(render_text(rows, f"Sales by {args.group_by.replace('_', ' ')}"))
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
