/**
 * MaskBench figures per source category (BFCL_simple, Glaiveai2K, Kubernetes, Github_trivial, …):
 * the categories differ in what their masks cost (function-calling outputs are ~30 tokens, so
 * nearly every mask is a first visit; Kubernetes documents are long and mostly warm), so a single
 * percentile over the whole set hides where an engine is slow. A category is the file name before
 * `---` (Github_easy---o1234.json), else the name without a trailing `_<number>` (BFCL_simple_12.json).
 */
import { Samples, type Summary } from '../core/index.ts';

/** The category of a MaskBench file name. */
export function maskbenchCategory(file: string): string {
  const base = file.replace(/^.*[\\/]/, '').replace(/\.json$/, '');
  const sep = base.indexOf('---');
  if (sep > 0) return base.slice(0, sep);
  return base.replace(/_\d+$/, '');
}

/** One engine's timings over some schemas of a category. */
export interface CategoryTimings {
  schemas: number;
  tokens: number;
  /** Time between masks, µs. */
  tbm: Summary;
  /** Compile + first mask, µs. */
  ttfm: Summary;
  /**
   * One request, µs: compile + first mask + every mask of the file's first instance (what a server
   * pays to serve one output for a schema it has not compiled before).
   */
  request: Summary;
}

export interface CategorySummary {
  category: string;
  schemas: number;
  passing: number;
  invalidationError: number;
  /** Ours on every schema we compiled. */
  ours: CategoryTimings;
  /** Masks of a second pass over the same instances with the grammar already compiled and used, µs. */
  reused: Summary;
  /** With the peer: both engines on the schemas both compiled and ran to the end. */
  both?: { ours: CategoryTimings; peer: CategoryTimings };
}

/** What one engine did with one schema, for the per-category figures. */
export interface SchemaTimings {
  tbm: ArrayLike<number>;
  ttfmUs: number;
  requestUs: number;
}

class TimingAccumulator {
  schemas = 0;
  readonly tbm = new Samples();
  readonly ttfm = new Samples();
  readonly request = new Samples();

  add(t: SchemaTimings): void {
    this.schemas++;
    this.tbm.pushArray(t.tbm);
    this.ttfm.push(t.ttfmUs);
    this.request.push(t.requestUs);
  }

  summary(): CategoryTimings {
    return { schemas: this.schemas, tokens: this.tbm.length, tbm: this.tbm.summary(), ttfm: this.ttfm.summary(), request: this.request.summary() };
  }
}

interface CategoryAccumulator {
  schemas: number;
  passing: number;
  invalidationError: number;
  ours: TimingAccumulator;
  reused: Samples;
  bothOurs: TimingAccumulator;
  bothPeer: TimingAccumulator;
}

/** Collects per-category figures as schemas are run; `summaries()` at the end. */
export class CategoryTable {
  private readonly byName = new Map<string, CategoryAccumulator>();
  private peer = false;

  private get(file: string): CategoryAccumulator {
    const name = maskbenchCategory(file);
    let c = this.byName.get(name);
    if (c === undefined) {
      c = { schemas: 0, passing: 0, invalidationError: 0, ours: new TimingAccumulator(), reused: new Samples(), bothOurs: new TimingAccumulator(), bothPeer: new TimingAccumulator() };
      this.byName.set(name, c);
    }
    return c;
  }

  /** A schema we ran (`ours` undefined when it did not compile). */
  addOurs(file: string, status: string, ours: SchemaTimings | undefined, reused: ArrayLike<number>): void {
    const c = this.get(file);
    c.schemas++;
    if (status === 'passing') c.passing++;
    if (status === 'invalidationError') c.invalidationError++;
    if (ours !== undefined) c.ours.add(ours);
    for (let i = 0; i < reused.length; i++) c.reused.push(reused[i]!);
  }

  /** A schema both engines compiled and ran to the end. */
  addBoth(file: string, ours: SchemaTimings, peer: SchemaTimings): void {
    this.peer = true;
    const c = this.get(file);
    c.bothOurs.add(ours);
    c.bothPeer.add(peer);
  }

  /** Categories in name order. */
  summaries(): CategorySummary[] {
    const out: CategorySummary[] = [];
    for (const name of [...this.byName.keys()].sort()) {
      const c = this.byName.get(name)!;
      const s: CategorySummary = {
        category: name,
        schemas: c.schemas,
        passing: c.passing,
        invalidationError: c.invalidationError,
        ours: c.ours.summary(),
        reused: c.reused.summary(),
      };
      if (this.peer) s.both = { ours: c.bothOurs.summary(), peer: c.bothPeer.summary() };
      out.push(s);
    }
    return out;
  }
}
