import { EngineError } from '../errors.ts';
import { literal, type Regex } from '../regex/ast.ts';
import type { Grammar, LexemeDef, RuleDef, Sym } from './ir.ts';

/** Bounds of the plain expansion of indentation (docs/engine-grammars.md, "Printing Lark"). */
export interface PortableOptions {
  /** Indentation levels told apart (default 6): deeper blocks are refused by the printed grammar. */
  indentLevels?: number;
  /** Indentation units, one family of rules each (default four spaces, two spaces, one tab). */
  indentUnits?: string[];
  /**
   * Whitespace every indented line starts with before its units (default none): a text that is a
   * block inside a file, a method's body at the method's depth, reads its first level as this plus
   * one unit.
   */
  baseIndent?: string;
}

/** Default levels: real code rarely nests blocks deeper than 6, and each level adds rule copies. */
export const DEFAULT_INDENT_LEVELS = 6;
export const DEFAULT_INDENT_UNITS = ['    ', '  ', '\t'];

const NEWLINE_PART: Regex = { kind: 'concat', items: [{ kind: 'repeat', item: literal('\r'), min: 0, max: 1 }, literal('\n')] };

/**
 * A grammar without engine-only features, for servers: lexeme fallback and gap markers are dropped
 * (the printed grammar accepts more, or refuses `..`-style texts), and indentation is expanded into
 * plain rules. The expansion intersects the grammar with the indentation automaton (Bar-Hillel),
 * per indentation unit: states are "at level k" (ordinary lexemes allowed), "after a newline to
 * level j, at level k" (INDENT or DEDENTs pending) and "ended at level k" (an implicit final
 * newline, only DEDENTs follow); the newline lexeme becomes one lexeme per target level (line
 * breaks, blank and ignored-only lines, then exactly j units), and rules that derive layout tokens
 * get one copy per (entry state, exit state) pair they can span. Inside brackets (per alternative,
 * open and close in the same alternative) every lexeme may be preceded by line breaks.
 */
export function portableGrammar(g: Grammar, opts: PortableOptions = {}): Grammar {
  // Dropping unique_keys would not only accept more: a grammar that counts required keys would
  // then take a repeated key for a missing one. There is no plain form of polynomial size.
  if (g.options?.uniqueKeys) {
    throw new EngineError('GRAMMAR', 'unique_keys has no portable form (any order over many keys needs exponentially many plain rules); for JSON Schema, print with jsonSchemaToLark, which builds plain rules or refuses the schema');
  }
  const ind = g.options?.indentation;
  const gapIds = new Set((g.options?.gaps ?? []).map((m) => m.lexeme));
  let rules = g.rules.map((r) => ({ ...r, alternatives: r.alternatives.map((a) => a.filter((s) => !(s.kind === 'lexeme' && gapIds.has(s.id)))) }));
  const options = g.options?.ignoreOnce ? { ignoreOnce: true } : undefined;
  if (!ind) {
    const out: Grammar = { lexemes: g.lexemes, rules, start: g.start, ignore: g.ignore };
    if (options) out.options = options;
    return out;
  }
  const levels = opts.indentLevels ?? DEFAULT_INDENT_LEVELS;
  const units = opts.indentUnits ?? DEFAULT_INDENT_UNITS;
  const base = opts.baseIndent ?? '';
  if (!(levels >= 1 && levels <= 32) || units.length === 0 || units.some((u) => !/^[ \t]+$/.test(u)) || !/^[ \t]*$/.test(base)) {
    throw new EngineError('GRAMMAR', 'portable indentation: indentLevels must be 1..32, indentUnits non-empty strings of spaces and tabs, baseIndent spaces and tabs');
  }
  const lexemes: LexemeDef[] = [...g.lexemes];
  const ign: Regex[] = g.ignore.map((id) => g.lexemes[id]!.regex);
  const blank: Regex = { kind: 'concat', items: [NEWLINE_PART, ign.length > 0 ? { kind: 'repeat', item: ign.length === 1 ? ign[0]! : { kind: 'alt', items: ign }, min: 0, max: Infinity } : { kind: 'empty' }] };
  const nlEnd = lexemes.push({ name: '_NL_END', regex: { kind: 'repeat', item: blank, min: 1, max: Infinity } }) - 1;
  const isOpen = new Set(ind.open);
  const isClose = new Set(ind.close);
  const layoutLex = new Set([ind.newline, ind.indent, ind.dedent]);

  // Rules that derive a layout token.
  const layout = new Uint8Array(rules.length);
  for (let changed = true; changed; ) {
    changed = false;
    rules.forEach((r, i) => {
      if (layout[i]) return;
      if (r.alternatives.some((a) => a.some((s) => (s.kind === 'lexeme' && layoutLex.has(s.id)) || (s.kind === 'rule' && layout[s.id])))) {
        layout[i] = 1;
        changed = true;
      }
    });
  }
  const nullable = new Uint8Array(rules.length);
  for (let changed = true; changed; ) {
    changed = false;
    rules.forEach((r, i) => {
      if (!nullable[i] && r.alternatives.some((a) => a.every((s) => s.kind === 'rule' && nullable[s.id]))) {
        nullable[i] = 1;
        changed = true;
      }
    });
  }

  const out: RuleDef[] = [];
  const newRule = (name: string): number => out.push({ name, alternatives: [] }) - 1;

  // Bracket interiors: lexeme t → (NL_END t | t), rule X → X_br (every lexeme so wrapped).
  const brLex = new Map<number, number>();
  const brRule = new Map<number, number>();
  const plainRule = new Map<number, number>();
  const brLexeme = (t: number): Sym => {
    let r = brLex.get(t);
    if (r === undefined) {
      r = newRule(`${g.lexemes[t]!.name}_br`);
      brLex.set(t, r);
      out[r]!.alternatives.push([{ kind: 'lexeme', id: nlEnd }, { kind: 'lexeme', id: t }], [{ kind: 'lexeme', id: t }]);
    }
    return { kind: 'rule', id: r };
  };
  const bracketed = (x: number): Sym => {
    let r = brRule.get(x);
    if (r === undefined) {
      r = newRule(`${rules[x]!.name}_br`);
      brRule.set(x, r);
      out[r]!.alternatives = rules[x]!.alternatives.map((a) => a.map((s) => (s.kind === 'lexeme' ? brLexeme(s.id) : s.kind === 'rule' ? bracketed(s.id) : s)));
    }
    return { kind: 'rule', id: r };
  };
  /** A rule with no layout token, its bracket interiors made newline-tolerant. */
  const plain = (x: number): Sym => {
    let r = plainRule.get(x);
    if (r === undefined) {
      r = newRule(rules[x]!.name);
      plainRule.set(x, r);
      out[r]!.alternatives = rules[x]!.alternatives.map((a) => {
        let depth = 0;
        return a.map((s) => {
          if (s.kind === 'lexeme' && isOpen.has(s.id)) return depth++ > 0 ? brLexeme(s.id) : s;
          if (s.kind === 'lexeme' && isClose.has(s.id) && depth > 0) {
            depth--;
            return brLexeme(s.id);
          }
          if (depth === 0) return s.kind === 'rule' ? plain(s.id) : s;
          return s.kind === 'lexeme' ? brLexeme(s.id) : s.kind === 'rule' ? bracketed(s.id) : s;
        });
      });
    }
    return { kind: 'rule', id: r };
  };

  // Automaton states: L k (ordinary lexemes), P k j (newline to level j pending at level k), E k (ended).
  type State = string;
  const L = (k: number): State => `L${k}`;
  const P = (k: number, j: number): State => (j === k ? L(k) : `P${k}_${j}`);
  const E = (k: number): State => `E${k}`;
  const parse = (s: State): { t: string; k: number; j: number } => {
    const [k, j] = s.slice(1).split('_').map(Number);
    return { t: s[0]!, k: k!, j: j ?? -1 };
  };
  const startState = L(0);

  const startAlts: Sym[][] = [];
  for (const unit of units) {
    const nl: number[] = [];
    for (let j = 0; j <= levels; j++) {
      nl.push(lexemes.push({ name: `_NL${j}`, regex: { kind: 'concat', items: [{ kind: 'repeat', item: blank, min: 0, max: Infinity }, NEWLINE_PART, literal(base + unit.repeat(j))] } }) - 1);
    }
    /** Transitions of one symbol: [next state, symbols emitted]. */
    const step = (s: Sym, st: State, depth: number, ends: (x: number, st: State) => Set<State>): [State, Sym[]][] => {
      const { t, k, j } = parse(st);
      if (s.kind === 'lexeme' && s.id === ind.newline) {
        if (t !== 'L' || depth > 0) return [];
        const res: [State, Sym[]][] = [];
        for (let jj = 0; jj <= Math.min(k + 1, levels); jj++) res.push([P(k, jj), [{ kind: 'lexeme', id: nl[jj]! }]]);
        res.push([E(k), [{ kind: 'lexeme', id: nlEnd }]], [E(k), []]);
        return res;
      }
      if (s.kind === 'lexeme' && s.id === ind.indent) return t === 'P' && j === k + 1 ? [[L(k + 1), []]] : [];
      if (s.kind === 'lexeme' && s.id === ind.dedent) {
        if (t === 'P' && j < k) return [[P(k - 1, j), []]];
        if (t === 'E' && k > 0) return [[E(k - 1), []]];
        return [];
      }
      // A layout rule: a placeholder naming its copy (fix() below turns it into the copy's id).
      if (s.kind === 'rule' && layout[s.id]) return [...ends(s.id, st)].map((q) => [q, [{ kind: 'rule', id: -1, key: `${s.id}|${st}|${q}` } as Sym]]);
      if (t !== 'L') return s.kind === 'rule' && nullable[s.id] ? [[st, []]] : [];
      if (depth > 0) return [[st, [s.kind === 'lexeme' ? brLexeme(s.id) : s.kind === 'rule' ? bracketed(s.id) : s]]];
      return [[st, [s.kind === 'rule' ? plain(s.id) : s]]];
    };
    // ends(X, p): exit states of layout rule X from p (least fixpoint).
    const endsMap = new Map<string, Set<State>>();
    const endsOf = (x: number, st: State): Set<State> => endsMap.get(`${x}|${st}`) ?? new Set();
    const walk = (alt: Sym[], st: State, visit: (end: State, syms: Sym[]) => void, ends: (x: number, st: State) => Set<State>): void => {
      const rec = (i: number, cur: State, depth: number, acc: Sym[]): void => {
        if (i === alt.length) return visit(cur, acc);
        const s = alt[i]!;
        // A bracket lexeme belongs to the depth it is read at; the depth changes after it.
        const d = s.kind === 'lexeme' && isOpen.has(s.id) ? depth + 1 : s.kind === 'lexeme' && isClose.has(s.id) && depth > 0 ? depth - 1 : depth;
        for (const [next, syms] of step(s, cur, depth, ends)) rec(i + 1, next, d, [...acc, ...syms]);
      };
      rec(0, st, 0, []);
    };
    const allStates: State[] = [];
    for (let k = 0; k <= levels; k++) {
      allStates.push(L(k), E(k));
      for (let j = 0; j <= Math.min(k + 1, levels); j++) if (j !== k) allStates.push(P(k, j));
    }
    for (let changed = true; changed; ) {
      changed = false;
      for (let x = 0; x < rules.length; x++) {
        if (!layout[x]) continue;
        for (const st of allStates) {
          const key = `${x}|${st}`;
          let set = endsMap.get(key);
          for (const alt of rules[x]!.alternatives) {
            walk(alt, st, (end) => {
              if (!set) endsMap.set(key, (set = new Set()));
              if (!set.has(end)) {
                set.add(end);
                changed = true;
              }
            }, endsOf);
          }
        }
      }
    }
    // Generate the rule copies reachable from the start rule.
    const copies = new Map<string, number>();
    const queue: [number, State, State, number][] = [];
    const copyOf = (x: number, p: State, q: State): number => {
      const key = `${x}|${p}|${q}`;
      let id = copies.get(key);
      if (id === undefined) {
        id = newRule(`${rules[x]!.name}_${unit === '\t' ? 't' : unit.length}_${p}_${q}`);
        copies.set(key, id);
        queue.push([x, p, q, id]);
      }
      return id;
    };
    const fix = (syms: Sym[]): Sym[] => syms.map((s) => {
      const key = (s as unknown as { key?: string }).key;
      if (key === undefined) return s;
      const [x, p, q] = key.split('|');
      return { kind: 'rule', id: copyOf(Number(x), p!, q!) };
    });
    if (!layout[g.start]) throw new EngineError('GRAMMAR', 'portable indentation: the start rule uses no newline, indent or dedent');
    for (const fin of [L(0), E(0)]) if (endsOf(g.start, startState).has(fin)) startAlts.push([{ kind: 'rule', id: copyOf(g.start, startState, fin) }]);
    while (queue.length > 0) {
      const [x, p, q, id] = queue.shift()!;
      const seen = new Set<string>();
      for (const alt of rules[x]!.alternatives) {
        walk(alt, p, (end, syms) => {
          if (end !== q) return;
          const fixed = fix(syms);
          const k = fixed.map((s) => `${s.kind}${s.kind === 'token' ? '' : s.id}`).join(' ');
          if (!seen.has(k)) {
            seen.add(k);
            out[id]!.alternatives.push(fixed);
          }
        }, endsOf);
      }
    }
  }
  const start = newRule('start');
  out[start]!.alternatives = startAlts;
  // Drop the declared layout lexemes from the lexeme list's users (they no longer occur) and build.
  rules = out;
  const result: Grammar = { lexemes, rules, start, ignore: g.ignore };
  if (options) result.options = options;
  return result;
}
