/**
 * Soundness of a program grammar: does everything the grammar generates parse in the language's
 * real parser? Sample N texts with the engine's sampler (each one accepted by the compiled grammar)
 * and hand each to a parser; count the texts it reads without an error, and list the others with
 * the seed that reproduces them, an excerpt and the parser's error position.
 *
 * The parser is a callback, so this file imports nothing but the engine (docs/architecture.md:
 * eval may import core and engine only). For tree-sitter, build the callback on Clew's
 * `parseSource` and `treeSitterVerdict` below:
 *
 *   const parse = async (text) => { const t = await parseSource('c', text); try { return treeSitterVerdict(t.rootNode); } finally { t.delete(); } };
 *   const report = await checkGrammarSoundness(grammar, parse, { n: 1000, seed: 1 });
 */
import { EngineError, grammarSampler, type Grammar, type Limits, type SamplerStats } from '../engine/index.ts';

/** A parser's verdict on one text. Lines and columns are 1-based. */
export interface ParseVerdict {
  hasError: boolean;
  errorAt?: { line: number; column: number };
  /** What the parser found there (`ERROR`, `MISSING ;`, a compiler message). */
  what?: string;
}

export type ParseFn = (text: string) => ParseVerdict | Promise<ParseVerdict>;

/**
 * A sampled text rewritten into one that the language itself reads the same way (by its
 * specification) but that the oracle can read: for limits of the oracle, not of the grammar.
 * `applied` names each rewrite that changed something (empty: `text` is the input).
 */
export interface TextAdjustment {
  text: string;
  applied: string[];
}

export type AdjustFn = (text: string) => TextAdjustment;

export interface SoundnessOptions {
  /** Samples to draw (default 100). */
  n?: number;
  /** Seed of the first sample; sample i uses seed + i (default 1). */
  seed?: number;
  maxDepth?: number;
  maxBytes?: number;
  /** Probability of ignorable text (comments) at a boundary (default 0.05: comments are code too). */
  ignoreRate?: number;
  limits?: Partial<Limits>;
  /** Failures listed in the report (all are counted; default 50). */
  maxListed?: number;
  /** Characters of context each side of the error position in an excerpt (default 60). */
  context?: number;
  /**
   * Rewrites each sample before `parse` sees it, for documented limits of the parser (e.g.
   * `TREE_SITTER_ADJUSTMENTS.go`); the report counts the samples each rewrite changed.
   */
  adjust?: AdjustFn;
}

export interface SoundnessFailure {
  /** `sampleGrammar(grammar, { seed, maxDepth, maxBytes, ignoreRate })` gives the same text. */
  seed: number;
  errorAt?: { line: number; column: number };
  what?: string;
  /** The line of the error, cut to `context` characters each side of the column (⟪here⟫ marks it). */
  excerpt: string;
  text: string;
  /** With `adjust`: the rewrites applied and the text the parser read (`errorAt` and `excerpt` refer to it). */
  adjusted?: string[];
  parsedText?: string;
}

export interface SoundnessReport {
  samples: number;
  /** Texts the parser read without an error. */
  parsed: number;
  failed: number;
  failures: SoundnessFailure[];
  /** Seeds the sampler could not produce a text for (bounded retries ran out), with the reason. */
  unsampled: { seed: number; message: string }[];
  sampler: SamplerStats;
  ms: number;
  /** With `adjust`: how many samples each rewrite changed. */
  adjusted?: Record<string, number>;
}

/** Samples `n` texts and parses each; see the file comment. */
export async function checkGrammarSoundness(grammar: Grammar, parse: ParseFn, opts: SoundnessOptions = {}): Promise<SoundnessReport> {
  const n = opts.n ?? 100;
  const seed0 = opts.seed ?? 1;
  const maxListed = opts.maxListed ?? 50;
  const context = opts.context ?? 60;
  const t0 = performance.now();
  const sampler = grammarSampler(grammar, {
    maxDepth: opts.maxDepth,
    maxBytes: opts.maxBytes,
    ignoreRate: opts.ignoreRate ?? 0.05,
    limits: opts.limits,
  });
  const report: SoundnessReport = { samples: 0, parsed: 0, failed: 0, failures: [], unsampled: [], sampler: sampler.stats, ms: 0 };
  if (opts.adjust) report.adjusted = {};
  for (let i = 0; i < n; i++) {
    const seed = seed0 + i;
    let text: string;
    try {
      text = sampler.sample(seed).text;
    } catch (e) {
      if (!(e instanceof EngineError) || e.code !== 'LIMIT') throw e;
      report.unsampled.push({ seed, message: e.message });
      continue;
    }
    report.samples++;
    const adj = opts.adjust?.(text);
    if (adj) for (const a of adj.applied) report.adjusted![a] = (report.adjusted![a] ?? 0) + 1;
    const parsedText = adj ? adj.text : text;
    const v = await parse(parsedText);
    if (!v.hasError) {
      report.parsed++;
      continue;
    }
    report.failed++;
    if (report.failures.length < maxListed) {
      const f: SoundnessFailure = { seed, errorAt: v.errorAt, what: v.what, excerpt: excerpt(parsedText, v.errorAt, context), text };
      if (adj && adj.applied.length > 0) {
        f.adjusted = adj.applied;
        f.parsedText = parsedText;
      }
      report.failures.push(f);
    }
  }
  report.ms = performance.now() - t0;
  return report;
}

/** The error's line, `context` characters each side of the column, the column marked with ⟪here⟫. */
export function excerpt(text: string, at: { line: number; column: number } | undefined, context = 60): string {
  if (!at) return text.length > 2 * context ? text.slice(0, 2 * context) + '…' : text;
  const line = text.split('\n')[at.line - 1] ?? '';
  const col = Math.min(Math.max(at.column - 1, 0), line.length);
  const from = Math.max(0, col - context);
  const to = Math.min(line.length, col + context);
  return `${from > 0 ? '…' : ''}${line.slice(from, col)}⟪here⟫${line.slice(col, to)}${to < line.length ? '…' : ''}`;
}

/** The part of a tree-sitter node this file reads (web-tree-sitter's `Node` has it). */
export interface SyntaxNodeLike {
  readonly type: string;
  readonly isError: boolean;
  readonly isMissing: boolean;
  readonly hasError: boolean;
  readonly startPosition: { row: number; column: number };
  readonly endPosition?: { row: number; column: number };
  /** Named nodes are the ones the S-expression shows. */
  readonly isNamed?: boolean;
  readonly children: ReadonlyArray<SyntaxNodeLike | null>;
  /** The S-expression, which also shows MISSING hidden tokens that `children` leaves out. */
  toString?(): string;
}

/**
 * The verdict on a tree-sitter tree: an error when it holds an ERROR or MISSING node; the position
 * is the first such node in document order (tree-sitter's row + 1, column + 1).
 */
export function treeSitterVerdict(root: SyntaxNodeLike): ParseVerdict {
  if (!root.hasError && !root.isMissing && !root.isError) return { hasError: false };
  // Depth first, left to right, into the children that hold an error (explicit stack: deep trees).
  const stack: SyntaxNodeLike[] = [root];
  /** The first node found whose error is in none of its visible children. */
  let hidden: SyntaxNodeLike | undefined;
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.isError || node.isMissing) {
      return {
        hasError: true,
        errorAt: { line: node.startPosition.row + 1, column: node.startPosition.column + 1 },
        what: node.isMissing ? `MISSING ${node.type}` : 'ERROR',
      };
    }
    const kids = node.children;
    let pushed = false;
    for (let i = kids.length - 1; i >= 0; i--) {
      const k = kids[i];
      if (k && (k.hasError || k.isMissing || k.isError)) {
        stack.push(k);
        pushed = true;
      }
    }
    hidden ??= pushed ? undefined : node;
  }
  // A MISSING hidden token (e.g. tree-sitter-go's `source_file_token1`, a statement terminator)
  // is in no node's children, only in the S-expression: it sits after the k-th visible child.
  const at = hidden ?? root;
  const k = at.toString ? hiddenErrorIndex(at.toString()) : -1;
  const before = k > 0 ? at.children.filter((c) => c !== null && c.isNamed !== false)[k - 1] : undefined;
  const pos = before?.endPosition ?? at.startPosition;
  return {
    hasError: true,
    errorAt: { line: pos.row + 1, column: pos.column + 1 },
    what: k >= 0 ? 'MISSING (a hidden token)' : `ERROR hidden inside ${at.type}`,
  };
}

/** How many children come before the first `(MISSING` / `(ERROR` child in an S-expression (-1: none). */
function hiddenErrorIndex(sexp: string): number {
  let depth = 0;
  let child = 0;
  for (let i = 0; i < sexp.length; i++) {
    const c = sexp[i];
    if (c === '"') {
      for (i++; i < sexp.length && sexp[i] !== '"'; i++) if (sexp[i] === '\\') i++;
    } else if (c === '(') {
      depth++;
      if (depth === 2) {
        if (sexp.startsWith('(MISSING', i) || sexp.startsWith('(ERROR', i)) return child;
        child++;
      }
    } else if (c === ')') depth--;
  }
  return -1;
}

// ---- Per-language adjustments for tree-sitter --------------------------------------------------
