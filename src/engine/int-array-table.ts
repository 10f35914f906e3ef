/**
 * Arrays of integers interned by content: each distinct array gets a small id, found again by a
 * hash of its values. The parser's sets of lexeme ids (parser/lexeme-sets.ts) and the lexer's
 * partitions of byte classes (lexer/derivative-classes.ts) are kept in one.
 */
export class IntArrayTable {
  /** sets[id] is the array interned as `id`. */
  readonly sets: Int32Array[] = [];
  private readonly byHash = new Map<number, number[]>();

  /** The id of the array ids[0..n) (a copy is kept on first sight). */
  intern(ids: Int32Array, n: number): number {
    let h = 0x811c9dc5 ^ n;
    for (let i = 0; i < n; i++) h = Math.imul(h ^ ids[i]!, 0x01000193);
    const bucket = this.byHash.get(h);
    if (bucket !== undefined) {
      for (let k = 0; k < bucket.length; k++) {
        const s = this.sets[bucket[k]!]!;
        if (s.length !== n) continue;
        let same = true;
        for (let i = 0; i < n; i++) {
          if (s[i] !== ids[i]) {
            same = false;
            break;
          }
        }
        if (same) return bucket[k]!;
      }
    }
    const id = this.sets.length;
    this.sets.push(ids.slice(0, n));
    if (bucket !== undefined) bucket.push(id);
    else this.byHash.set(h, [id]);
    return id;
  }
}
