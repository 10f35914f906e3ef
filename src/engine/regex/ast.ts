/**
 * Regular expressions as the engine sees them: over Unicode code points, with intersection and
 * complement (the `&` and `~` of the Lark dialect). The lexer compiles them to a byte-level DFA
 * (UTF-8), so `chars` ranges are code points, and `bytes` ranges are raw bytes (for the rare
 * grammar that needs bytes that are not valid UTF-8 on their own).
 */
export type Regex =
  | { kind: 'empty' }                                   // matches only ""
  | { kind: 'never' }                                   // matches nothing
  | { kind: 'chars'; ranges: ReadonlyArray<readonly [number, number]> } // sorted, disjoint, inclusive
  | { kind: 'bytes'; ranges: ReadonlyArray<readonly [number, number]> } // sorted, disjoint, 0..255
  | { kind: 'concat'; items: readonly Regex[] }
  | { kind: 'alt'; items: readonly Regex[] }
  | { kind: 'repeat'; item: Regex; min: number; max: number } // max = Infinity for unbounded
  | { kind: 'and'; items: readonly Regex[] }
  | { kind: 'not'; item: Regex };

export const EMPTY: Regex = { kind: 'empty' };
export const NEVER: Regex = { kind: 'never' };

/** One shared node per ASCII character: literals (every property name of a schema) reuse them. */
const ASCII_CHARS: Regex[] = Array.from({ length: 128 }, (_, cp) => ({ kind: 'chars', ranges: [[cp, cp]] }));

export function literal(text: string): Regex {
  const items: Regex[] = [];
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    items.push(cp < 128 ? ASCII_CHARS[cp]! : { kind: 'chars', ranges: [[cp, cp]] });
  }
  if (items.length === 0) return EMPTY;
  return items.length === 1 ? items[0]! : { kind: 'concat', items };
}

export function concat(...items: Regex[]): Regex {
  return items.length === 1 ? items[0]! : { kind: 'concat', items };
}

export function alt(...items: Regex[]): Regex {
  return items.length === 1 ? items[0]! : { kind: 'alt', items };
}
