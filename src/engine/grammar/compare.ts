import type { Grammar, Sym } from './ir.ts';
import { regexKey } from './regex-key.ts';

/**
 * Structural equivalence of two grammars, for round-trip checks (printLark → parseLark) and for
 * tests: rules are matched from the start rules by position (same alternatives in the same order,
 * same symbols), lexemes by regex structure (regex-key.ts), laziness and max_tokens, special tokens
 * by value; names do not matter. A lexeme with options on one side may be a rule whose only
 * alternative is that lexeme on the other (how the Lark printer writes lazy lexemes).
 * Returns null when equivalent, else a description of the first difference.
 */
export function grammarDifference(a: Grammar, b: Grammar): string | null {
  const ignoreKeys = (g: Grammar) => g.ignore.map((id) => lexKey(g, id)).sort();
  const ia = ignoreKeys(a);
  const ib = ignoreKeys(b);
  if (ia.join('\n') !== ib.join('\n')) return `ignore sets differ: ${ia.length} vs ${ib.length} lexemes`;
  if (Boolean(a.options?.ignoreOnce) !== Boolean(b.options?.ignoreOnce)) return 'ignoreOnce differs';

  const map = new Map<number, number>();
  const queue: [number, number][] = [[a.start, b.start]];
  map.set(a.start, b.start);
  while (queue.length > 0) {
    const [ra, rb] = queue.shift()!;
    const A = a.rules[ra]!;
    const B = b.rules[rb]!;
    if (A.alternatives.length !== B.alternatives.length) {
      return `rule '${A.name}' has ${A.alternatives.length} alternatives, '${B.name}' has ${B.alternatives.length}`;
    }
    for (let k = 0; k < A.alternatives.length; k++) {
      const xa = A.alternatives[k]!;
      const xb = B.alternatives[k]!;
      if (xa.length !== xb.length) return `alternative ${k} of '${A.name}' has ${xa.length} symbols, of '${B.name}' ${xb.length}`;
      for (let j = 0; j < xa.length; j++) {
        const d = symDifference(a, b, xa[j]!, xb[j]!, map, queue);
        if (d) return `in alternative ${k} of '${A.name}', symbol ${j}: ${d}`;
      }
    }
  }
  return null;
}

function lexKey(g: Grammar, id: number): string {
  const l = g.lexemes[id]!;
  return `${l.lazy ? 'L' : 'G'}${l.maxTokens ?? ''}|${regexKey(l.regex)}`;
}

function symDifference(a: Grammar, b: Grammar, sa: Sym, sb: Sym, map: Map<number, number>, queue: [number, number][]): string | null {
  if (sa.kind === 'lexeme' && sb.kind === 'rule') {
    // A lexeme with options printed as a wrapper rule.
    const r = b.rules[sb.id]!;
    const only = r.alternatives.length === 1 && r.alternatives[0]!.length === 1 ? r.alternatives[0]![0]! : undefined;
    if (only?.kind === 'lexeme' && lexKey(a, sa.id) === lexKey(b, only.id)) return null;
    return `lexeme ${a.lexemes[sa.id]!.name} vs rule ${r.name}`;
  }
  if (sa.kind !== sb.kind) return `${sa.kind} vs ${sb.kind}`;
  if (sa.kind === 'lexeme' && sb.kind === 'lexeme') {
    return lexKey(a, sa.id) === lexKey(b, sb.id) ? null : `lexeme ${a.lexemes[sa.id]!.name} differs from ${b.lexemes[sb.id]!.name}`;
  }
  if (sa.kind === 'token' && sb.kind === 'token') {
    return JSON.stringify(sa.ids) === JSON.stringify(sb.ids) ? null : 'special tokens differ';
  }
  if (sa.kind === 'rule' && sb.kind === 'rule') {
    const m = map.get(sa.id);
    if (m === undefined) {
      map.set(sa.id, sb.id);
      queue.push([sa.id, sb.id]);
      return null;
    }
    return m === sb.id ? null : `rule '${a.rules[sa.id]!.name}' maps to two different rules`;
  }
  return null;
}
