import type { Regex } from '../regex/ast.ts';

/**
 * Structural keys for regexes: two regexes get the same key exactly when they are the same tree
 * after flattening nested concat/alt/and, dropping `empty` inside concat, and unwrapping
 * one-item lists. Used to deduplicate lexemes (the grammar builder) and to compare grammars
 * structurally (the Lark printer's round-trip tests). Not a semantic equivalence check.
 */
export function regexKey(re: Regex): string {
  // Callers that ask again for one regex keep the key themselves (the grammar builder, per build).
  const out: string[] = [];
  write(normalizeRegex(re), out);
  return out.join('');
}

/** The normal form regexKey is computed on (also useful for comparing trees directly). */
export function normalizeRegex(re: Regex): Regex {
  switch (re.kind) {
    case 'empty':
    case 'never':
    case 'chars':
    case 'bytes':
      return re;
    case 'concat': {
      const items: Regex[] = [];
      for (const it of re.items) {
        const n = normalizeRegex(it);
        if (n.kind === 'concat') items.push(...n.items);
        else if (n.kind !== 'empty') items.push(n);
      }
      if (items.length === 0) return { kind: 'empty' };
      return items.length === 1 ? items[0]! : { kind: 'concat', items };
    }
    case 'and': {
      const items: Regex[] = [];
      for (const it of re.items) {
        const n = normalizeRegex(it);
        if (n.kind === 'and') items.push(...n.items);
        else items.push(n);
      }
      return items.length === 1 ? items[0]! : { kind: 'and', items };
    }
    case 'alt': {
      // Single characters merge into one class (at the first one's place); a choice with the
      // empty string becomes an optional of the rest. The Lark printer writes them that way.
      const flat: Regex[] = [];
      const pushFlat = (n: Regex) => {
        if (n.kind === 'alt') n.items.forEach(pushFlat);
        else flat.push(n);
      };
      for (const it of re.items) pushFlat(normalizeRegex(it));
      const items: Regex[] = [];
      const ranges: [number, number][] = [];
      let classAt = -1;
      let hasEmpty = false;
      for (const n of flat) {
        if (n.kind === 'empty') hasEmpty = true;
        else if (n.kind === 'chars') {
          if (classAt < 0) {
            classAt = items.length;
            items.push(n);
          }
          for (const [lo, hi] of n.ranges) ranges.push([lo, hi]);
        } else items.push(n);
      }
      if (classAt >= 0) items[classAt] = { kind: 'chars', ranges: mergeRanges(ranges) };
      if (items.length === 0) return hasEmpty ? { kind: 'empty' } : { kind: 'never' };
      const body: Regex = items.length === 1 ? items[0]! : { kind: 'alt', items };
      return hasEmpty ? { kind: 'repeat', item: body, min: 0, max: 1 } : body;
    }
    case 'repeat': {
      const item = normalizeRegex(re.item);
      if (re.min === 1 && re.max === 1) return item;
      return { kind: 'repeat', item, min: re.min, max: re.max };
    }
    case 'not':
      return { kind: 'not', item: normalizeRegex(re.item) };
  }
}

/** Sort and merge inclusive ranges (overlapping or adjacent ones join). */
export function mergeRanges(ranges: [number, number][]): [number, number][] {
  ranges.sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of ranges) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/**
 * An alternation as printers write it: its single-character choices folded into one class (at the
 * first one's place), and the empty choice taken out (`optional`: the rest is then `x?`). `body`
 * is undefined when nothing but the empty string is left.
 */
export function simplifyAlternation(choices: readonly Regex[]): { body: Regex | undefined; optional: boolean } {
  const items: Regex[] = [];
  let optional = false;
  let classAt = -1;
  const ranges: [number, number][] = [];
  for (const it of choices) {
    if (it.kind === 'empty') optional = true;
    else if (it.kind === 'chars') {
      if (classAt < 0) {
        classAt = items.length;
        items.push(it);
      }
      for (const [lo, hi] of it.ranges) ranges.push([lo, hi]);
    } else items.push(it);
  }
  if (classAt >= 0) items[classAt] = { kind: 'chars', ranges: mergeRanges(ranges) };
  return { body: items.length === 0 ? undefined : items.length === 1 ? items[0]! : { kind: 'alt', items }, optional };
}

function write(re: Regex, out: string[]): void {
  switch (re.kind) {
    case 'empty':
      out.push('E');
      return;
    case 'never':
      out.push('N');
      return;
    case 'chars':
    case 'bytes':
      out.push(re.kind === 'chars' ? 'c[' : 'b[');
      for (const [lo, hi] of re.ranges) out.push(lo.toString(36), '-', hi.toString(36), ',');
      out.push(']');
      return;
    case 'concat':
    case 'alt':
    case 'and':
      out.push(re.kind === 'concat' ? 'C(' : re.kind === 'alt' ? 'A(' : '&(');
      for (const it of re.items) {
        write(it, out);
        out.push(';');
      }
      out.push(')');
      return;
    case 'repeat':
      out.push('R', String(re.min), ',', re.max === Infinity ? 'inf' : String(re.max), '(');
      write(re.item, out);
      out.push(')');
      return;
    case 'not':
      out.push('~(');
      write(re.item, out);
      out.push(')');
      return;
  }
}
