import { EngineError } from '../errors.ts';
import { Lexer } from '../lexer/lexer.ts';
import { regexWitness } from '../lexer/witness.ts';
import type { Regex } from '../regex/ast.ts';
import { MARK_NEWLINE, MARK_NONE, MARK_NO_NEWLINE } from '../parser/layout.ts';
import { SYM_END } from '../parser/tables.ts';
import type { GrammarCore } from './core.ts';
import { MinHeap } from './min-heap.ts';

/**
 * What the shortest-completion search (completion.ts) needs to know about a grammar, computed once
 * per compiled grammar: the shortest text of every lexeme, the cheapest derivation of every rule,
 * and the cost of the rest of every production from each dot.
 *
 * Costs are bytes × COST_SCALE + rule expansions. The bytes are what the search minimises; the
 * expansions break ties (a derivation with fewer rules first) and make every rule strictly dearer
 * than each rule in its cheapest derivation, so expanding cheapest derivations always ends. Bytes
 * are approximate where the text depends on context: an `_INDENT` counts INDENT_BYTES (the columns
 * it adds), separators between lexemes (a space where two words would run together) count nothing.
 */
export const COST_SCALE = 2 ** 20;

/** Bytes an `_INDENT` is assumed to add (one level of four spaces; the renderer uses the file's own unit). */
export const INDENT_BYTES = 4;

/** Lexeme roles: text, the indentation newline, the zero-width kinds, or nothing at all. */
export const ROLE_TEXT = 0;
export const ROLE_NEWLINE = 1;
export const ROLE_INDENT = 2;
export const ROLE_DEDENT = 3;
export const ROLE_MARK = 4;
/** A lexeme with no text (a `%declare`d terminal without a role, a regex that matches nothing). */
export const ROLE_DEAD = 5;

/** Separator candidates between two lexemes, tried in this order when an `%ignore` lexeme matches them. */
const SEPARATORS = [' ', '\n', '\t', '\r\n'];

/**
 * Automaton states a lexeme's shortest text may take to find: enough for every terminal of the
 * shipped grammars (tens of states), small enough to stay a few ms per lexeme at worst.
 */
const WITNESS_STATES = 4096;

export class CompletionCosts {
  /** Per lexeme: its shortest text (ROLE_TEXT, ROLE_NEWLINE), else null. */
  readonly text: (Uint8Array | null)[];
  readonly role: Uint8Array;
  /** Per gap-marker lexeme: its MARK_* bit. */
  readonly mark: Uint8Array;
  /** Per rule (the augmented start rule included): the cost of its cheapest derivation (Infinity: none). */
  readonly ruleCost: Float64Array;
  /** Per rule: the production index (ParserTables.prodDot0) of its cheapest derivation, -1 none. */
  readonly ruleProd: Int32Array;
  /** Per dot position: the cost of the symbols from it to the end of its production. */
  readonly restCost: Float64Array;
  /** Texts that %ignore lexemes match, shortest first: what may separate two lexemes. */
  readonly separators: Uint8Array[];

  constructor(core: GrammarCore) {
    const g = core.grammar;
    const t = core.tables;
    const nLex = t.nLexemes;
    this.role = new Uint8Array(nLex);
    this.mark = new Uint8Array(nLex);
    this.text = new Array<Uint8Array | null>(nLex).fill(null);
    const ind = g.options?.indentation;
    const enc = new TextEncoder();
    const toFind: number[] = [];
    for (let i = 0; i < nLex; i++) {
      const def = g.lexemes[i]!;
      if (ind && i === ind.indent) this.role[i] = ROLE_INDENT;
      else if (ind && i === ind.dedent) this.role[i] = ROLE_DEDENT;
      else if (def.declared) this.role[i] = ROLE_DEAD;
      else {
        if (ind && i === ind.newline) this.role[i] = ROLE_NEWLINE;
        if (def.literal !== undefined && def.literal.length > 0) this.text[i] = enc.encode(def.literal);
        else toFind.push(i);
      }
    }
    for (const m of g.options?.gaps ?? []) {
      this.role[m.lexeme] = ROLE_MARK;
      this.mark[m.lexeme] = m.kind === 'none' ? MARK_NONE : m.kind === 'no_newline' ? MARK_NO_NEWLINE : MARK_NEWLINE;
    }
    for (const id of toFind) {
      const w = shortestByLexer(core.lexer, id) ?? witnessOf(g.lexemes[id]!.regex, core.limits.maxRegexSize);
      if (w !== undefined && w.length > 0) this.text[id] = w;
    }
    for (let i = 0; i < nLex; i++) if ((this.role[i] === ROLE_TEXT || this.role[i] === ROLE_NEWLINE) && this.text[i] === null) this.role[i] = ROLE_DEAD;

    const lexCost = new Float64Array(nLex);
    for (let i = 0; i < nLex; i++) {
      const r = this.role[i]!;
      lexCost[i] = r === ROLE_TEXT || r === ROLE_NEWLINE ? this.text[i]!.length * COST_SCALE
        : r === ROLE_INDENT ? INDENT_BYTES * COST_SCALE
        : r === ROLE_MARK ? (this.mark[i] === MARK_NEWLINE ? COST_SCALE : 0)
        : r === ROLE_DEDENT ? 0 : Infinity;
    }

    // Cheapest derivations (Knuth's generalisation of Dijkstra: a production's cost is 1 plus its
    // symbols', so rules are settled cheapest first, each production once all its rules are).
    const nRules = t.nRules;
    const { dotSym, ruleProdStart, prodDot0 } = t;
    const firstTok = t.firstTokenSetSym;
    this.ruleCost = new Float64Array(nRules).fill(Infinity);
    this.ruleProd = new Int32Array(nRules).fill(-1);
    const nProds = ruleProdStart[nRules]!;
    const prodLhs = new Int32Array(nProds);
    const partial = new Float64Array(nProds);
    const waiting = new Int32Array(nProds);
    // Per rule, the productions it occurs in (once per occurrence).
    const occStart = new Int32Array(nRules + 1);
    for (let r = 0; r < nRules; r++) {
      for (let p = ruleProdStart[r]!; p < ruleProdStart[r + 1]!; p++) {
        prodLhs[p] = r;
        for (let d = prodDot0[p]!; dotSym[d] !== SYM_END; d++) {
          const sy = dotSym[d]!;
          if (sy >= nLex && sy < firstTok) occStart[sy - nLex + 1]!++;
        }
      }
    }
    for (let r = 0; r < nRules; r++) occStart[r + 1]! += occStart[r]!;
    const occ = new Int32Array(occStart[nRules]!);
    const fill = occStart.slice(0, nRules);
    const heap = new MinHeap();
    for (let p = 0; p < nProds; p++) {
      let c = 1;
      let w = 0;
      for (let d = prodDot0[p]!; dotSym[d] !== SYM_END; d++) {
        const sy = dotSym[d]!;
        if (sy < nLex) c += lexCost[sy]!;
        else if (sy < firstTok) {
          w++;
          occ[fill[sy - nLex]!++] = p;
        } else c = Infinity;
      }
      partial[p] = c;
      waiting[p] = w;
      if (w === 0 && c < Infinity) heap.push(c, p);
    }
    while (heap.size > 0) {
      const c = heap.minCost();
      const p = heap.pop();
      const r = prodLhs[p]!;
      if (this.ruleProd[r] >= 0) continue;
      this.ruleCost[r] = c;
      this.ruleProd[r] = p;
      for (let k = occStart[r]!; k < occStart[r + 1]!; k++) {
        const q = occ[k]!;
        partial[q] += c;
        if (--waiting[q]! === 0 && partial[q]! < Infinity) heap.push(partial[q]!, q);
      }
    }
    const symCost = (sy: number): number => (sy < nLex ? lexCost[sy]! : sy < firstTok ? this.ruleCost[sy - nLex]! : Infinity);
    this.restCost = new Float64Array(dotSym.length);
    for (let d = dotSym.length - 1; d >= 0; d--) {
      const s = dotSym[d]!;
      this.restCost[d] = s === SYM_END ? 0 : symCost(s) + this.restCost[d + 1]!;
    }

    const seps: Uint8Array[] = [];
    const seen = new Set<string>();
    const candidates = [...SEPARATORS.map((s) => enc.encode(s)), ...Array.from(t.ignore, (id) => this.text[id]!).filter((x): x is Uint8Array => x !== null)];
    for (const c of candidates) {
      const key = c.join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      for (let k = 0; k < t.ignore.length; k++) {
        if (core.lexer.matchesLexeme(t.ignore[k]!, c)) {
          seps.push(c);
          break;
        }
      }
    }
    this.separators = seps.sort((a, b) => a.length - b.length);
  }
}

const cache = new WeakMap<GrammarCore, CompletionCosts>();

/** The costs of a compiled grammar, computed on first use and kept with it. */
export function completionCosts(core: GrammarCore): CompletionCosts {
  let c = cache.get(core);
  if (c === undefined) {
    c = new CompletionCosts(core);
    cache.set(core, c);
  }
  return c;
}

/**
 * Shortest non-empty text of one lexeme: a breadth-first walk of the grammar's own lexer DFA from
 * the lexeme's start state (its transitions are the matcher's, and mostly built already), one
 * printable ASCII byte per byte class, most readable first (`[a-z]+` gives `a`). Undefined when no
 * such text is found within WITNESS_STATES states (witnessOf then searches every string).
 */
function shortestByLexer(lx: Lexer, id: number): Uint8Array | undefined {
  const start = lx.startState([id]);
  const alphabet = readableBytes(lx);
  const prev = new Map<number, number>();
  const via = new Map<number, number>();
  prev.set(start, -1);
  const queue = [start];
  for (let qi = 0; qi < queue.length && qi < WITNESS_STATES; qi++) {
    const s = queue[qi]!;
    for (let k = 0; k < alphabet.length; k++) {
      const b = alphabet[k]!;
      const n = lx.next(s, b);
      if (n === Lexer.DEAD || prev.has(n)) continue;
      prev.set(n, s);
      via.set(n, b);
      if (lx.isAcceptingState(n)) {
        const out: number[] = [];
        for (let x = n; x !== start; x = prev.get(x)!) out.push(via.get(x)!);
        return Uint8Array.from(out.reverse());
      }
      queue.push(n);
    }
  }
  return undefined;
}

/** The exact shortest string of a regex (any characters), for lexemes with no printable ASCII text. */
function witnessOf(re: Regex, maxRegexSize: number): Uint8Array | undefined {
  try {
    const w = regexWitness(re, { maxStates: WITNESS_STATES, maxRegexSize });
    return w === undefined ? undefined : new TextEncoder().encode(w);
  } catch (e) {
    if (e instanceof EngineError && e.code === 'LIMIT') return undefined;
    throw e;
  }
}

/**
 * One printable ASCII byte (or tab, newline) per byte class of the lexer, in readability order:
 * lower-case letters, upper-case, digits, other printable characters, space, newline, tab.
 */
export function readableBytes(lx: Lexer): number[] {
  const order: number[] = [];
  for (let b = 0x61; b <= 0x7a; b++) order.push(b);
  for (let b = 0x41; b <= 0x5a; b++) order.push(b);
  for (let b = 0x30; b <= 0x39; b++) order.push(b);
  for (let b = 0x21; b < 0x7f; b++) if (!(b >= 0x61 && b <= 0x7a) && !(b >= 0x41 && b <= 0x5a) && !(b >= 0x30 && b <= 0x39)) order.push(b);
  order.push(0x20, 0x0a, 0x09);
  return onePerByteClass(lx, order);
}

/** The first byte of `order` in each of the lexer's byte classes (bytes of one class lex alike). */
export function onePerByteClass(lx: Lexer, order: readonly number[]): number[] {
  const seen = new Set<number>();
  const out: number[] = [];
  for (const b of order) {
    const c = lx.byteClassOf(b);
    if (seen.has(c)) continue;
    seen.add(c);
    out.push(b);
  }
  return out;
}
