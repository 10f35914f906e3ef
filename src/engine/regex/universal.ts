import type { Regex } from './ast.ts';
import { MAX_CP } from './unicode.ts';
import { nullable } from './nullable.ts';

/**
 * Whether r matches every string of code points, proven on its structure: true only where proven,
 * false otherwise. An unanchored pattern such as `.*` or `x?` is padded with `.*` on both sides
 * (search semantics) and so matches every string; its complement is empty, which the schema
 * compiler uses to drop key languages that nothing can spell (schema/emit.ts, patternProperties).
 */
export function matchesEverything(r: Regex): boolean {
  switch (r.kind) {
    case 'repeat':
      // r{m,} with r matching every string, or r* with r matching every character.
      return r.max === Infinity && (matchesEverything(r.item) || (r.min === 0 && everyChar(r.item)));
    case 'concat':
      // Every string is itself followed (or preceded) by "" from the other items.
      return r.items.every(nullable) && r.items.some(matchesEverything);
    case 'alt':
      return r.items.some(matchesEverything);
    case 'and':
      return r.items.every(matchesEverything);
    case 'not':
      return r.item.kind === 'never';
    default:
      return false;
  }
}

/** Whether r is a set of characters holding every code point. */
function everyChar(r: Regex): boolean {
  return r.kind === 'chars' && r.ranges.length === 1 && r.ranges[0]![0] === 0 && r.ranges[0]![1] >= MAX_CP;
}
