/**
 * Maze: a ConstraintIR and a prompt in, code out, every hard constraint of the IR enforced per
 * token and the result checked again (docs/maze.md).
 *
 * Per step: the engine's mask for the IR grammar is the allowed set (token rules are empty in IR
 * version 1: every hard rule is in the grammar); end-of-sequence only where the grammar accepts
 * (and, for fim targets, where the suffix can follow); tokens the grammar forces are appended
 * without asking the model. As the budget runs out, the grammar's shortest completion is appended
 * so the text ends as a whole sentence (budget-steering.ts). Compiled grammars are shared by every
 * request through an LRU keyed by the xxhash of the grammar text and the vocabulary; each request
 * gets its own matcher.
 */
import { AnankeError, summarize, type ConstraintIR } from '../core/index.ts';
import { LruCache, textKey, type CacheStats } from '../braid/index.ts';
import { compile, parseLark, type CompiledGrammar, type Limits, type Matcher, type Tokenizer } from '../engine/index.ts';
import { BudgetSteering } from './budget-steering.ts';
import type { StepDecision, StepModel, StopReason } from './model.ts';

export interface GenerateRequest {
  ir: ConstraintIR;
  prompt: string;
  maxTokens: number;
  seed?: number;
  temperature?: number;
  topP?: number;
  signal?: AbortSignal;
  /** Text as it is produced (decoded as far as whole UTF-8 characters allow). */
  onText?: (chunk: string) => void;
  /**
   * Steer to the grammar's shortest completion as the budget runs out (default true), so the text
   * ends as a sentence; false: stop at maxTokens wherever the text is (budget-steering.ts).
   */
  steer?: boolean;
}

export interface GenerationStats {
  tokens: number;
  /** Tokens appended because the grammar allowed nothing else. */
  forced: number;
  /**
   * Tokens of the shortest completion appended as the budget ran out (budget-steering.ts), so the
   * text ends as a sentence instead of being cut off; 0 when the model ended by itself. Set by the
   * local backend only.
   */
  steered?: number;
  /** The completions computed for budget steering: how many, and their time in ms (local backend only). */
  completion?: { checks: number; totalMs: number; maxMs: number };
  sampled: number;
  /** Per computed mask, microseconds: p50, p99, max. */
  maskUs: { p50: number; p99: number; max: number; n: number };
  /** Per sampled token, milliseconds: the model's step, and Ananke's (mask + bias hand-over). */
  modelMsPerToken: number;
  anankeMsPerToken: number;
  grammarCompileMs: number;
  grammarCache: CacheStats;
  totalMs: number;
}

export interface GenerateResult {
  text: string;
  stop: StopReason;
  /** The engine reads the whole result (prefix + text + suffix for fim) as a sentence of the IR grammar. */
  grammarAccepted: boolean;
  /**
   * The token budget ran out before the grammar could end: the text is cut off. Only when no
   * completion fitted in what was left (a forced head longer than the budget, a completion the
   * engine could not find within its bounds).
   */
  truncated: boolean;
  stats: GenerationStats;
}

export class Maze {
  private readonly grammars: LruCache<CompiledGrammar>;
  private readonly grammarKeys = new WeakMap<ConstraintIR, string>();

  /** Engine limits for every grammar this Maze compiles and every mask it computes (default: the engine's). */
  private readonly limits: Partial<Limits> | undefined;

  constructor(opts: { cacheCapacity?: number; limits?: Partial<Limits> } = {}) {
    this.grammars = new LruCache(opts.cacheCapacity ?? 32);
    this.limits = opts.limits;
  }

  /**
   * The IR grammar compiled for a vocabulary, shared by every request (LRU). The grammar's hash is
   * kept per IR object (IRs are values, never changed in place), so a request that brings the same
   * IR again does not hash 30–90 KB of program grammar again.
   */
  async compiled(ir: ConstraintIR, tokenizer: Tokenizer): Promise<{ cg: CompiledGrammar; ms: number }> {
    let grammarKey = this.grammarKeys.get(ir);
    if (grammarKey === undefined) {
      grammarKey = await textKey(ir.grammar);
      this.grammarKeys.set(ir, grammarKey);
    }
    const key = `${grammarKey}:${tokenizer.vocabSize}:${tokenizer.name}`;
    const hit = this.grammars.get(key);
    if (hit) return { cg: hit, ms: 0 };
    const t0 = performance.now();
    const limits = this.limits;
    const cg = compile(parseLark(ir.grammar, limits ? { limits, json: { limits } } : {}), tokenizer, limits);
    this.grammars.set(key, cg);
    return { cg, ms: performance.now() - t0 };
  }

  cacheStats(): CacheStats {
    return this.grammars.stats();
  }

  async generate(model: StepModel, req: GenerateRequest): Promise<GenerateResult> {
    const t0 = performance.now();
    const tok = model.tokenizer;
    const { cg, ms: grammarCompileMs } = await this.compiled(req.ir, tok);
    const m = cg.matcher();
    // fim: the engine reads the fixed prefix first (unless the grammar is the range's alone: a typed hole).
    const rangeOnly = req.ir.rangeOnly === true;
    const prefixIds = req.ir.prefix && !rangeOnly ? tok.encode(req.ir.prefix) : [];
    for (const [i, id] of prefixIds.entries()) {
      if (!m.consume(id)) throw new AnankeError('PARSE', `the text before the range does not read as ${req.ir.language} (at token ${i} of ${prefixIds.length}): the target cannot be generated there`);
    }
    const suffixIds = req.ir.suffix && !rangeOnly ? tok.encode(req.ir.suffix) : undefined;
    const bits = new Uint32Array(cg.maskWords);
    const maskUs: number[] = [];
    let consumed = 0;
    let forced = 0;
    let steered = 0;
    // Steering ends the generation with an end token; a vocabulary without one cannot be stopped so.
    const endToken = tok.eosTokens[0];
    const steering = endToken === undefined || req.steer === false ? null : new BudgetSteering(m, req.maxTokens, suffixIds !== undefined ? req.ir.suffix : undefined);
    const decoder = new TextDecoder('utf-8');
    const seen: number[] = [];
    const advance = (generated: readonly number[]): void => {
      for (; consumed < generated.length; consumed++) {
        const id = generated[consumed]!;
        if (tok.eosTokens.includes(id)) continue;
        if (!m.consume(id)) throw new AnankeError('INTERNAL', `the model runtime produced token ${id} (${JSON.stringify(tok.decode([id]))}), which the mask did not allow`);
        seen.push(id);
        if (req.onText) {
          const chunk = decoder.decode(tok.tokenBytes(id), { stream: true });
          if (chunk) req.onText(chunk);
        }
      }
    };
    const step = (generated: readonly number[]): StepDecision => {
      advance(generated);
      const completion = steering?.decide(generated.length) ?? null;
      if (completion !== null) {
        steered += completion.length;
        return { mask: null, eosAllowed: false, forced: [...completion, endToken!] };
      }
      const f = m.forcedTokens();
      if (f.length > 0 && !m.isAccepting()) {
        const room = req.maxTokens - generated.length;
        forced += Math.min(f.length, room);
        return { mask: null, eosAllowed: false, forced: f.slice(0, Math.max(0, room)) };
      }
      const s = performance.now();
      m.computeMask(bits);
      maskUs.push((performance.now() - s) * 1000);
      // The mask has the end tokens set exactly where the grammar accepts (Matcher.computeMask):
      // reading the bit spares isAccepting()'s second parse of the pending lexeme (bench/maze.ts).
      const eos = tok.eosTokens[0];
      const accepting = eos === undefined ? m.isAccepting() : ((bits[eos >>> 5]! >>> (eos & 31)) & 1) === 1;
      return { mask: bits, eosAllowed: accepting && (suffixIds === undefined || suffixFits(m, suffixIds)) };
    };
    const gen = await model.generate(req.prompt, {
      maxTokens: req.maxTokens, seed: req.seed, temperature: req.temperature, topP: req.topP, signal: req.signal, step,
    });
    advance(gen.tokens);
    if (req.onText) {
      const rest = decoder.decode();
      if (rest) req.onText(rest);
    }
    const text = tok.decode(seen);
    const whole = rangeOnly ? text : `${req.ir.prefix ?? ''}${text}${req.ir.suffix ?? ''}`;
    const grammarAccepted = cg.check(whole).accepted;
    const mask = summarize(maskUs);
    const sampled = gen.modelMsPerToken.length;
    const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    const maskMs = sum(maskUs) / 1000;
    return {
      text,
      stop: gen.stop,
      grammarAccepted,
      truncated: !grammarAccepted && gen.stop === 'max_tokens',
      stats: {
        tokens: seen.length,
        forced,
        steered,
        ...(steering ? { completion: { ...steering.stats } } : {}),
        sampled,
        maskUs: { p50: mask.p50, p99: mask.p99, max: mask.max, n: mask.n },
        modelMsPerToken: sampled ? sum(gen.modelMsPerToken) / sampled : 0,
        anankeMsPerToken: sampled ? (maskMs + sum(gen.biasMsPerToken)) / sampled : 0,
        grammarCompileMs,
        grammarCache: this.grammars.stats(),
        totalMs: performance.now() - t0,
      },
    };
  }
}

/** Whether the fixed suffix can follow what the matcher has read, to a complete sentence. */
function suffixFits(m: Matcher, suffix: readonly number[]): boolean {
  const c = m.clone();
  for (const id of suffix) if (!c.consume(id)) return false;
  return c.isAccepting();
}
