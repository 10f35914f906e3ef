import type { Regex } from '../../src/engine/regex/ast.ts';
import type { Grammar } from '../../src/engine/grammar/ir.ts';

/**
 * A small reference matcher for Regex trees over code points (whole-string match), used by the
 * grammar front-end tests to check what a compiled terminal means without the lexer. Exponential
 * in the worst case; fine for the short strings the tests use.
 */
export function regexMatches(re: Regex, text: string): boolean {
  const cps = Array.from(text, (c) => c.codePointAt(0)!);
  return ends(re, cps, 0).has(cps.length);
}

function ends(re: Regex, s: number[], i: number): Set<number> {
  switch (re.kind) {
    case 'empty':
      return new Set([i]);
    case 'never':
    case 'bytes':
      return new Set();
    case 'chars': {
      const c = s[i];
      if (c === undefined) return new Set();
      return re.ranges.some(([lo, hi]) => c >= lo && c <= hi) ? new Set([i + 1]) : new Set();
    }
    case 'concat': {
      let cur = new Set([i]);
      for (const it of re.items) {
        const next = new Set<number>();
        for (const p of cur) for (const q of ends(it, s, p)) next.add(q);
        cur = next;
      }
      return cur;
    }
    case 'alt': {
      const out = new Set<number>();
      for (const it of re.items) for (const q of ends(it, s, i)) out.add(q);
      return out;
    }
    case 'and': {
      let cur: Set<number> | undefined;
      for (const it of re.items) {
        const e = ends(it, s, i);
        cur = cur ? new Set([...cur].filter((x) => e.has(x))) : e;
      }
      return cur ?? new Set();
    }
    case 'not': {
      const e = ends(re.item, s, i);
      const out = new Set<number>();
      for (let j = i; j <= s.length; j++) if (!e.has(j)) out.add(j);
      return out;
    }
    case 'repeat': {
      const out = new Set<number>();
      let cur = new Set([i]);
      if (re.min === 0) out.add(i);
      const limit = Math.min(re.max, re.min + s.length - i + 1);
      for (let k = 1; k <= limit && cur.size > 0; k++) {
        const next = new Set<number>();
        for (const p of cur) for (const q of ends(re.item, s, p)) next.add(q);
        cur = next;
        if (k >= re.min) for (const q of cur) out.add(q);
      }
      return out;
    }
  }
}

/**
 * For a grammar over one lexeme `x`, how many derivations each count of x's has (counts up to
 * `maxLen`), starting from `rule`. Used to check that repetition desugaring derives exactly the
 * right counts, each once.
 */
export function derivationCounts(g: Grammar, rule: number, maxLen: number): number[] {
  // ways[r][n] = number of derivations of r yielding n lexemes; iterate to a fixpoint (acyclic
  // except for left recursion, which only adds longer strings, so maxLen+2 rounds suffice).
  const R = g.rules.length;
  let ways: number[][] = Array.from({ length: R }, () => new Array<number>(maxLen + 1).fill(0));
  for (let round = 0; round < maxLen + R + 2; round++) {
    const next: number[][] = Array.from({ length: R }, () => new Array<number>(maxLen + 1).fill(0));
    for (let r = 0; r < R; r++) {
      for (const alt of g.rules[r]!.alternatives) {
        let acc = new Array<number>(maxLen + 1).fill(0);
        acc[0] = 1;
        for (const s of alt) {
          const w = s.kind === 'rule' ? ways[s.id]! : s.kind === 'lexeme' ? [0, 1] : [0];
          const out = new Array<number>(maxLen + 1).fill(0);
          for (let a = 0; a <= maxLen; a++) {
            if (!acc[a]) continue;
            for (let b = 0; a + b <= maxLen && b < w.length; b++) if (w[b]) out[a + b]! += acc[a]! * w[b]!;
          }
          acc = out;
        }
        for (let n = 0; n <= maxLen; n++) next[r]![n]! += acc[n]!;
      }
    }
    ways = next;
  }
  return ways[rule]!;
}
