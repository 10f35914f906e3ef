/**
 * Maze: a ConstraintIR and a prompt in, code out, every hard constraint of the IR enforced per
 * token and the result checked again (docs/maze.md).
 *
 * Per step: the engine's mask for the IR grammar is the allowed set (token rules are empty in IR
 * version 1: every hard rule is in the grammar); end-of-sequence only where the grammar accepts
 * (and, for fim targets, where the suffix can follow); the IR's soft biases go to the allowed
 * tokens only (soft-biases.ts); tokens the grammar forces are appended without asking the model.
 * As the budget runs out, the grammar's shortest completion is appended
 * so the text ends as a whole sentence (budget-steering.ts). Compiled grammars are shared by every
 * request through an LRU keyed by the xxhash of the grammar text and the vocabulary; each request
 * gets its own matcher.
 */
import { AnankeError, summarize, type ConstraintIR } from '../core/index.ts';
import { LruCache, textKey, type CacheStats } from '../braid/index.ts';
import { compile, parseLark, PLAIN_TEXT, type CompiledGrammar, type Limits, type Matcher, type Tokenizer } from '../engine/index.ts';
import { BudgetSteering } from './budget-steering.ts';
import { softBiasTable } from './soft-biases.ts';
import type { StepAnswer, StepDecision, StepModel, StopReason, TokenPenalties } from './model.ts';
import { StopScanner } from './stop-strings.ts';

export interface GenerateRequest {
  ir: ConstraintIR;
  prompt: string;
  maxTokens: number;
  seed?: number;
  temperature?: number;
  topP?: number;
  /** Top-k (0 = off; default the model's: 40 for the local backend). */
  topK?: number;
  /** Presence and frequency penalties on the tokens generated so far (model.ts TokenPenalties). */
  penalties?: TokenPenalties;
  /**
   * Stop strings: the generation ends at the first occurrence of any of them in the generated text,
   * which is cut before it (stop-strings.ts). Honoured wherever they appear; the cut text is checked
   * afresh, so `grammarAccepted` says whether it is still a whole sentence.
   */
  stop?: readonly string[];
  signal?: AbortSignal;
  /**
   * Text as it is produced (decoded as far as whole UTF-8 characters allow). With stop strings, text
   * that may be the start of one is held back until it is decided, so nothing sent is later cut.
   */
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
  /**
   * Per sampled token, milliseconds: the model's step, and Ananke's (mask + bias hand-over). A mask
   * worked out while the model evaluated (`overlapped`) is counted in Ananke's time and taken out
   * of the model's, though it cost the step's wall time only where it outlasted the evaluation.
   */
  modelMsPerToken: number;
  anankeMsPerToken: number;
  /** Sampled steps whose mask was worked out while the model evaluated the tokens before (local backend only). */
  overlapped?: number;
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
  /** With stop `stop_string`: which of the request's stop strings ended the text. */
  stopString?: string;
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
    // Soft biases: the tokens each pattern matches, once per IR and tokenizer (soft-biases.ts).
    const softBias = softBiasTable(req.ir, tok);
    // fim: the engine reads the fixed prefix first (unless the grammar is the range's alone: a typed hole).
    const rangeOnly = req.ir.rangeOnly === true;
    const prefixIds = req.ir.prefix && !rangeOnly ? tok.encode(req.ir.prefix, PLAIN_TEXT) : [];
    for (const [i, id] of prefixIds.entries()) {
      if (!m.consume(id)) throw new AnankeError('PARSE', `the text before the range does not read as ${req.ir.language} (at token ${i} of ${prefixIds.length}): the target cannot be generated there`);
    }
    const suffixIds = req.ir.suffix && !rangeOnly ? tok.encode(req.ir.suffix, PLAIN_TEXT) : undefined;
    const bits = new Uint32Array(cg.maskWords);
    const maskUs: number[] = [];
    let consumed = 0;
    let forced = 0;
    let steered = 0;
    // Steering ends the generation with an end token; a vocabulary without one cannot be stopped so.
    const endToken = tok.eosTokens[0];
    const steering = endToken === undefined || req.steer === false ? null : new BudgetSteering(m, req.maxTokens, suffixIds !== undefined ? req.ir.suffix : undefined);
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    const seen: number[] = [];
    const stops = req.stop !== undefined && req.stop.length > 0 ? new StopScanner(req.stop) : null;
    const show = (chunk: string): void => {
      const out = stops ? stops.push(chunk) : chunk;
      if (out && req.onText) req.onText(out);
    };
    const advance = (generated: readonly number[]): void => {
      for (; consumed < generated.length; consumed++) {
        // Past a stop string nothing more is read (at most the end the step below forced).
        if (stops?.hit) { consumed = generated.length; break; }
        const id = generated[consumed]!;
        if (tok.eosTokens.includes(id)) continue;
        if (!m.consume(id)) throw new AnankeError('INTERNAL', `the model runtime produced token ${id} (${JSON.stringify(tok.decode([id]))}), which the mask did not allow`);
        seen.push(id);
        if (req.onText || stops) show(decoder.decode(tok.tokenBytes(id), { stream: true }));
      }
    };
    const step = (generated: readonly number[]): StepAnswer => {
      advance(generated);
      // A stop string appeared: end here (an end token forced, or nothing allowed without one).
      if (stops?.hit) return endToken !== undefined ? { mask: null, eosAllowed: false, forced: [endToken] } : { mask: new Uint32Array(cg.maskWords), eosAllowed: false };
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
      // The mask is worked out when the runtime asks, while the model evaluates (local-model.ts).
      return {
        decide: (): StepDecision => {
          const s = performance.now();
          m.computeMask(bits);
          maskUs.push((performance.now() - s) * 1000);
          // The mask has the end tokens set exactly where the grammar accepts (Matcher.computeMask):
          // reading the bit spares isAccepting()'s second parse of the pending lexeme (bench/maze.ts).
          const eos = tok.eosTokens[0];
          const accepting = eos === undefined ? m.isAccepting() : ((bits[eos >>> 5]! >>> (eos & 31)) & 1) === 1;
          return { mask: bits, eosAllowed: accepting && (suffixIds === undefined || suffixFits(m, suffixIds)), softBias };
        },
      };
    };
    const gen = await model.generate(req.prompt, {
      maxTokens: req.maxTokens, seed: req.seed, temperature: req.temperature, topP: req.topP, signal: req.signal, step,
      ...(req.topK !== undefined ? { topK: req.topK } : {}), ...(req.penalties ? { penalties: req.penalties } : {}),
    });
    advance(gen.tokens);
    if (req.onText || stops) {
      show(decoder.decode());
      if (stops && req.onText) {
        const held = stops.end();
        if (held) req.onText(held);
      }
    }
    const text = stops ? stops.result : tok.decode(seen);
    const stop: StopReason = stops?.hit ? 'stop_string' : gen.stop;
    const whole = rangeOnly ? text : `${req.ir.prefix ?? ''}${text}${req.ir.suffix ?? ''}`;
    const grammarAccepted = cg.check(whole).accepted;
    const mask = summarize(maskUs);
    const sampled = gen.modelMsPerToken.length;
    const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    const maskMs = sum(maskUs) / 1000;
    return {
      text,
      stop,
      grammarAccepted,
      truncated: !grammarAccepted && stop === 'max_tokens',
      ...(stops?.hit ? { stopString: stops.hit.stop } : {}),
      stats: {
        tokens: seen.length,
        forced,
        steered,
        ...(steering ? { completion: { ...steering.stats } } : {}),
        sampled,
        maskUs: { p50: mask.p50, p99: mask.p99, max: mask.max, n: mask.n },
        modelMsPerToken: sampled ? sum(gen.modelMsPerToken) / sampled : 0,
        anankeMsPerToken: sampled ? (maskMs + sum(gen.biasMsPerToken)) / sampled : 0,
        ...(gen.overlappedSteps !== undefined ? { overlapped: gen.overlappedSteps } : {}),
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
