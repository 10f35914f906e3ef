/**
 * Clew benchmarks: per-file extraction (small/medium/large files in TypeScript, Python, Go and
 * Rust), constraint extraction per file, worker boot (compiled vs tsx), cache-hit re-extraction of a
 * 1,000-file tree, and cold throughput over a ~100,000-line tree with 2 workers. Inputs are generated deterministically from
 * realistic templates (services, data classes, error handling, loops, tests) into a temp folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Language } from '../src/core/index.ts';
import { extractFileSync, prepareLanguage } from '../src/clew/extract-file.ts';
import { deriveConstraints } from '../src/clew/constraints/index.ts';
import { extractRepo } from '../src/clew/extract-repo.ts';
import { WorkerPool } from '../src/clew/pool.ts';
import { nowUs, sample, summarize } from './lib/stats.ts';
import type { BenchSuite, Measurement, SuiteResult, TargetCheck } from './lib/types.ts';

type BenchLang = 'typescript' | 'python' | 'go' | 'rust';
const LANGS: readonly BenchLang[] = ['typescript', 'python', 'go', 'rust'];
const EXT: Record<BenchLang, string> = { typescript: 'ts', python: 'py', go: 'go', rust: 'rs' };
const SIZES = { small: 50, medium: 300, large: 1000 } as const;

function header(lang: BenchLang, seed: number): string {
  switch (lang) {
    case 'typescript':
      return `import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Repository, OrderLine } from './model${seed % 5}.ts';

export interface OrderOptions {
  discountRate?: number;
  currency?: string;
}

export const MAX_ATTEMPTS_${seed} = 3;
`;
    case 'python':
      return `"""Order processing for shop ${seed}."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Optional

from shop.models import Order, OrderLine

log = logging.getLogger(__name__)
MAX_ATTEMPTS = ${seed % 9 + 1}
`;
    case 'go':
      return `package shop${seed % 7}

import (
	"context"
	"errors"
	"fmt"
)

const maxAttempts${seed} = 3

var ErrNotFound${seed} = errors.New("not found")
`;
    case 'rust':
      return `use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

pub const MAX_ATTEMPTS_${seed}: u32 = 3;
`;
  }
}

/** One ~30-line unit of realistic code; `i` varies the names. */
function unit(lang: BenchLang, i: number): string {
  switch (lang) {
    case 'typescript':
      return `
/** Loads order ${i} and applies the discount rules. */
export async function processOrder${i}(repo: Repository, orderId: string, options: OrderOptions = {}): Promise<number> {
  const order = await repo.findOrder(orderId);
  if (!order) {
    throw new Error(\`order \${orderId} not found\`);
  }
  let total = 0;
  for (const line of order.lines as OrderLine[]) {
    total += line.quantity * line.unitPrice;
  }
  const discount = options.discountRate ?? 0.${i % 9};
  return total * (1 - discount);
}

export class InventoryService${i} {
  private readonly reserved = new Map<string, number>();

  constructor(private readonly repo: Repository) {}

  async reserve(sku: string, quantity: number): Promise<boolean> {
    const available = this.reserved.get(sku) ?? (await this.repo.count(sku));
    if (available < quantity) return false;
    this.reserved.set(sku, available - quantity);
    return true;
  }

  release(sku: string): void {
    this.reserved.delete(sku);
  }
}
`;
    case 'python':
      return `

@dataclass
class Invoice${i}:
    order_id: str
    total: float
    currency: str = "EUR"


def process_order_${i}(repo, order_id: str, discount_rate: Optional[float] = None) -> Invoice${i}:
    """Loads order ${i} and applies the discount rules."""
    order = repo.find_order(order_id)
    if order is None:
        raise KeyError(f"order {order_id} not found")
    total = 0.0
    for line in order.lines:
        total += line.quantity * line.unit_price
    rate = discount_rate if discount_rate is not None else 0.${i % 9}
    try:
        log.info("order %s total %s", order_id, total)
    except ValueError as exc:
        log.warning("could not log: %s", exc)
    return Invoice${i}(order_id=order_id, total=total * (1 - rate))


async def reserve_stock_${i}(store, sku: str, quantity: int) -> bool:
    available = await store.count(sku)
    return available >= quantity
`;
    case 'go':
      return `
// Invoice${i} is the billed result of an order.
type Invoice${i} struct {
	OrderID  string
	Total    float64
	Currency string
}

// ProcessOrder${i} loads an order and applies the discount rules.
func ProcessOrder${i}(ctx context.Context, repo Repository, orderID string, rate float64) (*Invoice${i}, error) {
	order, err := repo.FindOrder(ctx, orderID)
	if err != nil {
		return nil, fmt.Errorf("find order %s: %w", orderID, err)
	}
	if order == nil {
		return nil, ErrNotFound${i % 7}
	}
	total := 0.0
	for _, line := range order.Lines {
		total += float64(line.Quantity) * line.UnitPrice
	}
	return &Invoice${i}{OrderID: orderID, Total: total * (1 - rate), Currency: "EUR"}, nil
}

func (inv *Invoice${i}) String() string {
	return fmt.Sprintf("%s: %.2f %s", inv.OrderID, inv.Total, inv.Currency)
}
`;
    case 'rust':
      return `
/// The billed result of order ${i}.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Invoice${i} {
    pub order_id: String,
    pub total: f64,
    pub currency: String,
}

/// Loads an order and applies the discount rules.
pub fn process_order_${i}(repo: &dyn Repository, order_id: &str, rate: f64) -> Result<Invoice${i}, ShopError> {
    let order = repo.find_order(order_id)?.ok_or(ShopError::NotFound)?;
    let mut total = 0.0;
    for line in &order.lines {
        total += line.quantity as f64 * line.unit_price;
    }
    Ok(Invoice${i} { order_id: order_id.to_string(), total: total * (1.0 - rate), currency: "EUR".into() })
}

impl fmt::Display for Invoice${i} {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {:.2} {}", self.order_id, self.total, self.currency)
    }
}
`;
  }
}

/** A file of about `lines` lines: a header, then units until the size is reached. */
export function generateFile(lang: BenchLang, lines: number, seed: number): string {
  let out = header(lang, seed);
  let n = out.split('\n').length;
  for (let i = 0; n < lines; i++) {
    const u = unit(lang, seed * 1000 + i);
    const un = u.split('\n').length - 1;
    // Stop where the length is closest to the target.
    if (i > 0 && n + un - lines > lines - n) break;
    out += u;
    n += un;
  }
  return out;
}

/** Writes `files` files of about `linesPerFile` lines, round-robin over the languages. */
function generateTree(dir: string, files: number, linesPerFile: number): number {
  let lines = 0;
  for (let i = 0; i < files; i++) {
    const lang = LANGS[i % LANGS.length]!;
    const sub = path.join(dir, `pkg${Math.floor(i / 50)}`);
    fs.mkdirSync(sub, { recursive: true });
    const text = generateFile(lang, linesPerFile, i);
    lines += text.split('\n').length;
    fs.writeFileSync(path.join(sub, `module_${i}.${EXT[lang]}`), text);
  }
  return lines;
}

const ms = (us: number): number => Math.round(us) / 1000;

/** Time from creating a one-worker pool to its first answer (a tiny file): the boot cost. */
async function workerBootUs(Pool: typeof WorkerPool): Promise<number> {
  const t0 = nowUs();
  const pool = new Pool(1);
  try {
    await pool.extract('a.ts', 'export const one = 1;\n', 'typescript');
    return nowUs() - t0;
  } finally {
    await pool.close();
  }
}

async function run(opts: { quick: boolean; calibrationUs: number }): Promise<SuiteResult> {
  const measurements: Measurement[] = [];
  const ratios: Record<string, number> = {};
  const sampleOpts = opts.quick ? { warmup: 3, minSamples: 10, minTimeMs: 100 } : { warmup: 10, minSamples: 40, minTimeMs: 400 };
  for (const l of LANGS) await prepareLanguage(l as Language);

  // Per-file extraction.
  const p50BySize: Record<keyof typeof SIZES, number> = { small: 0, medium: 0, large: 0 };
  let worstConstraintP50 = 0;
  for (const [size, lines] of Object.entries(SIZES) as [keyof typeof SIZES, number][]) {
    for (const lang of LANGS) {
      const src = generateFile(lang, lines, 7);
      const file = `src/orders.${EXT[lang]}`;
      try {
        extractFileSync(file, src, lang);
      } catch (e) {
        // One broken extractor must not hide the other languages' figures.
        measurements.push({ name: `extract ${lang} ${size}`, unit: 'us', note: `failed: ${(e as Error).message}` });
        continue;
      }
      const s = sample(() => extractFileSync(file, src, lang), sampleOpts);
      measurements.push({ name: `extract ${lang} ${size} (${src.split('\n').length} lines)`, unit: 'us', summary: s });
      ratios[`extract_${lang}_${size}`] = s.p50 / opts.calibrationUs;
      p50BySize[size] = Math.max(p50BySize[size], s.p50);
      if (size === 'medium') {
        const c = sample(() => deriveConstraints({ root: '/', files: [extractFileSync(file, src, lang)], skipped: [] }), sampleOpts);
        measurements.push({ name: `extract + derive constraints ${lang} ${size}`, unit: 'us', summary: c });
        ratios[`constraints_${lang}_${size}`] = c.p50 / opts.calibrationUs;
        worstConstraintP50 = Math.max(worstConstraintP50, c.p50);
      }
    }
  }

  // Worker boot: the compiled worker (what an installed Ananke runs) against the sources through
  // tsx (what tests run), alternated.
  const distPool = path.join(path.dirname(fileURLToPath(import.meta.url)), '../dist/clew/pool.js');
  if (fs.existsSync(distPool)) {
    const Compiled = ((await import(pathToFileURL(distPool).href)) as typeof import('../src/clew/pool.ts')).WorkerPool;
    const bootCompiled: number[] = [];
    const bootTsx: number[] = [];
    for (let i = 0; i < (opts.quick ? 2 : 5); i++) {
      bootCompiled.push(await workerBootUs(Compiled));
      bootTsx.push(await workerBootUs(WorkerPool));
    }
    const bc = summarize(bootCompiled);
    measurements.push({ name: 'worker boot to first reply, compiled (dist/)', unit: 'us', summary: bc });
    measurements.push({ name: 'worker boot to first reply, sources through tsx', unit: 'us', summary: summarize(bootTsx) });
    ratios.worker_boot = bc.p50 / opts.calibrationUs;
  } else {
    measurements.push({ name: 'worker boot', unit: 'count', value: 0, note: 'dist/ not built (npm run build): skipped' });
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ananke-bench-clew-'));
  try {
    // Cache-hit re-extraction of an unchanged tree.
    const cacheFiles = opts.quick ? 200 : 1000;
    const cacheTree = path.join(tmp, 'cached');
    const cacheLines = generateTree(cacheTree, cacheFiles, 50);
    const cacheDir = path.join(tmp, 'cache');
    await extractRepo([cacheTree], { cacheDir, jobs: 0 });
    const hitRuns: number[] = [];
    for (let i = 0; i < (opts.quick ? 2 : 5); i++) {
      const t0 = nowUs();
      const r = await extractRepo([cacheTree], { cacheDir, jobs: 0 });
      hitRuns.push(nowUs() - t0);
      if (r.stats.cacheMisses !== 0) throw new Error(`cache re-extract had ${r.stats.cacheMisses} misses`);
    }
    const hit = summarize(hitRuns);
    measurements.push({ name: `cache-hit re-extract, ${cacheFiles} files (${cacheLines} lines)`, unit: 'us', summary: hit });
    ratios.cache_reextract = hit.p50 / opts.calibrationUs;

    // Cold throughput with 2 workers (the main thread extracts too while they boot).
    const coldFiles = opts.quick ? 70 : 340;
    const coldTree = path.join(tmp, 'cold');
    const coldLines = generateTree(coldTree, coldFiles, 300);
    const coldRuns: number[] = [];
    for (let i = 0; i < (opts.quick ? 1 : 2); i++) {
      const t0 = nowUs();
      await extractRepo([coldTree], { cache: false, jobs: 2, workerMinBytes: 0 });
      coldRuns.push(nowUs() - t0);
    }
    const cold = summarize(coldRuns);
    measurements.push({ name: `cold extract, ${coldFiles} files (${coldLines} lines), 2 workers`, unit: 'us', summary: cold });
    measurements.push({ name: 'cold throughput (files)', unit: 'files/s', value: Math.round(coldFiles / (cold.p50 / 1e6)) });
    measurements.push({ name: 'cold throughput (lines)', unit: 'lines/s', value: Math.round(coldLines / (cold.p50 / 1e6)) });
    ratios.cold_repo = cold.p50 / opts.calibrationUs;

    const note = opts.quick ? 'quick run: smaller inputs' : undefined;
    const row = (metric: string, target: string, measured: number, limit: number, n?: string, comparable = true): TargetCheck => ({
      component: 'Clew', metric, target, measured, unit: 'ms', ...(comparable ? { met: measured <= limit } : {}), ...(n ? { note: n } : {}),
    });
    const targets: TargetCheck[] = [
      row('constraint extraction per file', '< 10 ms', ms(worstConstraintP50), 10, 'p50, slowest language, 300-line file'),
      row('300-line file extraction p50', '≤ 2 ms', ms(p50BySize.medium), 2, 'slowest language'),
      row('1,000-line file extraction p50', '≤ 10 ms', ms(p50BySize.large), 10, 'slowest language'),
      // Quick runs use smaller trees: their figures are not comparable with the targets.
      row('1,000-file cache re-extract', '≤ 1 s', ms(hit.p50), 1000, `${cacheFiles} files${note ? `; ${note}, not compared` : ''}`, !opts.quick),
      row('cold 100k-line repo, 2 workers', '≤ 5 s', ms(cold.p50), 5000, `${coldLines} lines${note ? `; ${note}, not compared` : ''}`, !opts.quick),
    ];
    return { suite: 'clew', measurements, targets, ratios };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export const suite: BenchSuite = { name: 'clew', run };
