import type { Regex } from '../regex/ast.ts';
import { mergeRanges } from './regex-key.ts';

type Ranges = ReadonlyArray<readonly [number, number]>;

/**
 * Hash-consing of regexes in regexKey's normal form: two regexes get the same id exactly when
 * regexKey gives them the same key (the same tree after flattening nested concat/alt/and, dropping
 * `empty` inside concat, folding an alternation's characters into one class and its empty choice
 * into `?`, unwrapping one-item lists). Each node object is read once per interner, so a subtree
 * that front ends share between lexemes (a JSON string's character class inside every key
 * pattern) costs once per grammar, not once per lexeme, and a key is a short string of child ids
 * instead of the whole tree written out. One interner per GrammarBuilder.
 */
export class RegexInterner {
  private readonly ids = new Map<Regex, number>();
  private readonly byKey = new Map<string, number>();
  /** Per id: its kind's letter, its items (concat/alt/and; one for repeat and not), its ranges (chars). */
  private readonly kinds: string[] = [];
  private readonly items: number[][] = [];
  private readonly ranges: (Ranges | null)[] = [];
  private readonly empty: number;

  constructor() {
    this.empty = this.make('E', 'E', [], null);
  }

  /** The id of `re`'s normal form. */
  id(re: Regex): number {
    const known = this.ids.get(re);
    if (known !== undefined) return known;
    const id = this.intern(re);
    this.ids.set(re, id);
    return id;
  }

  private intern(re: Regex): number {
    switch (re.kind) {
      case 'empty':
        return this.empty;
      case 'never':
        return this.make('N', 'N', [], null);
      case 'chars':
      case 'bytes': {
        const letter = re.kind === 'chars' ? 'c' : 'b';
        return this.make(letter, letter + rangesKey(re.ranges), [], re.kind === 'chars' ? re.ranges : null);
      }
      case 'concat': {
        const items: number[] = [];
        for (const it of re.items) {
          const n = this.id(it);
          if (this.kinds[n] === 'C') items.push(...this.items[n]!);
          else if (n !== this.empty) items.push(n);
        }
        if (items.length === 0) return this.empty;
        return items.length === 1 ? items[0]! : this.list('C', items);
      }
      case 'and': {
        const items: number[] = [];
        for (const it of re.items) {
          const n = this.id(it);
          if (this.kinds[n] === '&') items.push(...this.items[n]!);
          else items.push(n);
        }
        return items.length === 1 ? items[0]! : this.list('&', items);
      }
      case 'alt': {
        // A normal alternation holds no alternation, no empty choice and at most one class.
        const flat: number[] = [];
        for (const it of re.items) {
          const n = this.id(it);
          if (this.kinds[n] === 'A') flat.push(...this.items[n]!);
          else flat.push(n);
        }
        const items: number[] = [];
        const ranges: [number, number][] = [];
        let classAt = -1;
        let hasEmpty = false;
        for (const n of flat) {
          if (n === this.empty) hasEmpty = true;
          else if (this.kinds[n] === 'c') {
            if (classAt < 0) {
              classAt = items.length;
              items.push(n);
            }
            for (const [lo, hi] of this.ranges[n]!) ranges.push([lo, hi]);
          } else items.push(n);
        }
        if (classAt >= 0) {
          const merged = mergeRanges(ranges);
          items[classAt] = this.make('c', 'c' + rangesKey(merged), [], merged);
        }
        if (items.length === 0) return hasEmpty ? this.empty : this.make('N', 'N', [], null);
        const body = items.length === 1 ? items[0]! : this.list('A', items);
        return hasEmpty ? this.make('R', `R0,1:${body}`, [body], null) : body;
      }
      case 'repeat': {
        const item = this.id(re.item);
        if (re.min === 1 && re.max === 1) return item;
        return this.make('R', `R${re.min},${re.max === Infinity ? 'inf' : re.max}:${item}`, [item], null);
      }
      case 'not': {
        const item = this.id(re.item);
        return this.make('~', `~${item}`, [item], null);
      }
    }
  }

  private list(letter: string, items: number[]): number {
    return this.make(letter, letter + items.join(','), items, null);
  }

  private make(letter: string, key: string, items: number[], ranges: Ranges | null): number {
    const found = this.byKey.get(key);
    if (found !== undefined) return found;
    const id = this.kinds.length;
    this.kinds.push(letter);
    this.items.push(items);
    this.ranges.push(ranges);
    this.byKey.set(key, id);
    return id;
  }
}

function rangesKey(ranges: Ranges): string {
  let s = '';
  for (const [lo, hi] of ranges) s += `${lo.toString(36)}-${hi.toString(36)},`;
  return s;
}
