/** A binary min-heap of (cost, value) pairs: the shortest-completion searches' priority queue. */
export class MinHeap {
  private costs: number[] = [];
  private values: number[] = [];

  get size(): number {
    return this.values.length;
  }

  clear(): void {
    this.costs.length = 0;
    this.values.length = 0;
  }

  /** The least cost (the heap must not be empty). */
  minCost(): number {
    return this.costs[0]!;
  }

  push(cost: number, value: number): void {
    const c = this.costs;
    const v = this.values;
    let i = v.length;
    c.push(cost);
    v.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (c[parent]! <= cost) break;
      c[i] = c[parent]!;
      v[i] = v[parent]!;
      i = parent;
    }
    c[i] = cost;
    v[i] = value;
  }

  /** Removes and returns the value of least cost (the heap must not be empty). */
  pop(): number {
    const c = this.costs;
    const v = this.values;
    const top = v[0]!;
    const lastC = c.pop()!;
    const lastV = v.pop()!;
    const n = v.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const m = r < n && c[r]! < c[l]! ? r : l;
        if (c[m]! >= lastC) break;
        c[i] = c[m]!;
        v[i] = v[m]!;
        i = m;
      }
      c[i] = lastC;
      v[i] = lastV;
    }
    return top;
  }
}
