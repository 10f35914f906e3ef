/**
 * Interned sets of lexeme ids (sorted). A parser row's "allowed lexemes" become a small int, so the
 * matcher can key its per-set lexer start states and caches on it without allocating. Shared by all
 * parsers of one compiled grammar.
 */
export class LexemeSetTable {
  /** sets[id] is the sorted lexeme ids of set `id`. */
  readonly sets: Int32Array[] = [];
  private readonly byHash = new Map<number, number[]>();

  /** The id of the set made of ids[0..n) (sorted ascending, no duplicates). */
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
