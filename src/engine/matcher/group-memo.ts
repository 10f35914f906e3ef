import { RowInterner } from '../parser/row-intern.ts';
import { grown } from '../typed-array.ts';

/**
 * The memo of exit-group contributions (MaskWalker.applyGroups, mask.ts).
 *
 * Applying an exit group at a parser state pushes the parser (the group's scan), ORs in the
 * sub-plan below it, and recursively applies the sub-plan's groups: its contribution to the mask
 * depends on the parser only through the rows below its start that those pushes read
 * (EarleyParser.readLog): the top row a scan starts from, the rows completions reach through
 * origins (keyed by what a completion reads of them, their items waiting for a rule:
 * EarleyParser.traceRow, not whole), the base rows of gap rows. The first row read is the top
 * row; each row read after it is referenced (as an item's origin, or a gap row's base) by a row read before it, and which one is
 * read next depends only on what was read so far. So contributions are kept in a trie per group
 * (its exit ranges and group key): a node names the row read next by its label (labels number rows
 * in the order they are first referenced, EarleyParser.traceRow), its children are keyed by that
 * row's key, interned, and a leaf holds the contribution. A parser state seen for the first time (a
 * new position in a text, or a row pushed during this very mask, as in a run of operators where
 * each row is one deeper than the last) finds the contribution of any earlier state whose rows read
 * were the same, however far apart in the stack and whatever lies between them.
 */
/** Node.next of a leaf, and of a node whose next read is not known yet. */
export const LEAF = -1;
export const UNKNOWN = -2;

/**
 * Initial node, edge and entry-code capacities (powers of two; they double). Small: every compiled
 * grammar makes two memos, and one compiled for a few short outputs (function calling) stores a
 * few dozen entries; a program grammar doubles its way to 100,000 in a dozen steps.
 */
const INITIAL_NODES = 64;
const INITIAL_EDGES = 128;
const INITIAL_PARTS = 256;
/** A group goes cold (GroupMemo.stored) after this many stores with fewer than one hit per COLD_RATIO. */
const COLD_AFTER = 64;
const COLD_RATIO = 8;

/**
 * The trie nodes, edges and entries live in typed arrays: a memo of 100,000 entries is a few
 * arrays, not 100,000 objects for the garbage collector to copy and mark. An entry is what the
 * contribution applied, in order, as codes: a sub-plan's id (≥ 0, MaskWalker's plan registry) or
 * −1 − the id of a sub-group's entry; and a bound on the items of any row the computation pushed,
 * less the completed items of the rows it read (limits.maxItemsPerRow).
 */
export class GroupMemo {
  /** Row keys (EarleyParser.traceRow), interned: children are keyed by the id. */
  readonly rows: RowInterner;
  /**
   * Per node n, at 3n: the read next, its row's label and the part of it read (mask.ts readNext;
   * LEAF or UNKNOWN), the row id of its first child (-1 = none) and that child; further children are in the edge table. Most nodes below the
   * roots have one child, found in the node's own cache line.
   */
  private node = new Int32Array(INITIAL_NODES * 3);
  /** Per node: its entry at a leaf, else -1. */
  private nodeEntry = new Int32Array(INITIAL_NODES).fill(-1);
  /** Per root: contributions served and stored; a root is cold (-1 in rootHits) once it stores without serving (see stored). */
  private rootHits = new Int32Array(INITIAL_NODES);
  private rootStores = new Int32Array(INITIAL_NODES);
  private nodes = 0;
  /** Entry e's codes are parts[partStart[e] … partStart[e + 1]); its row bound is peak[e]. */
  private parts = new Int32Array(INITIAL_PARTS);
  private partStart = new Int32Array(INITIAL_NODES + 1);
  private peak = new Int32Array(INITIAL_NODES);
  private entries = 0;
  /**
   * Edges (parent node, row id) → child node, open addressing over slots of three numbers (parent,
   * row, child; parent -1 = free), so a probe reads one cache line.
   */
  private edgeSlots = new Int32Array(INITIAL_EDGES * 3).fill(-1);
  private edgeMask = INITIAL_EDGES - 1;
  private edges = 0;

  constructor(private readonly budget: number) {
    this.rows = new RowInterner(budget / 2);
  }

  /** Memory held, in bytes. */
  get bytes(): number {
    return this.rows.bytes + this.node.length * 4 + this.nodeEntry.length * 12 + this.edgeSlots.length * 4 + this.parts.length * 4 + this.partStart.length * 8;
  }

  /** Whether a new node or entry still fits the budget. */
  get open(): boolean {
    return this.bytes < this.budget;
  }

  /** A new root: its first read is the top row (label 0). */
  newRoot(): number {
    const n = this.newNode();
    this.node[n * 3] = 0;
    return n;
  }

  nextOf(node: number): number {
    return this.node[node * 3]!;
  }

  setNext(node: number, label: number): void {
    this.node[node * 3] = label;
  }

  /** The entry at `node`, or -1. */
  entryOf(node: number): number {
    return this.nodeEntry[node]!;
  }

  /** Where entry e's codes start in `codes`, and end. */
  partsFrom(e: number): number {
    return this.partStart[e]!;
  }

  partsTo(e: number): number {
    return this.partStart[e + 1]!;
  }

  get codes(): Int32Array {
    return this.parts;
  }

  peakOf(e: number): number {
    return this.peak[e]!;
  }

  /** Makes `node` a leaf holding a new entry: codes[from … to) and the row bound; returns its id. */
  setEntry(node: number, codes: Int32Array, from: number, to: number, peak: number): number {
    const e = this.entries++;
    if (e + 1 >= this.peak.length) {
      this.peak = grown(this.peak, this.peak.length * 2);
      this.partStart = grown(this.partStart, this.peak.length + 1);
    }
    const at = this.partStart[e]!;
    const n = to - from;
    if (at + n > this.parts.length) this.parts = grown(this.parts, Math.max(this.parts.length * 2, at + n));
    const parts = this.parts;
    for (let k = 0; k < n; k++) parts[at + k] = codes[from + k]!;
    this.partStart[e + 1] = at + n;
    this.peak[e] = peak;
    this.node[node * 3] = LEAF;
    this.nodeEntry[node] = e;
    return e;
  }

  /** Whether root's group has stopped using the memo (see stored). */
  isCold(root: number): boolean {
    return this.rootHits[root]! < 0;
  }

  /** Counts a contribution of root's group served by the memo. */
  served(root: number): void {
    this.rootHits[root]!++;
  }

  /**
   * Counts a contribution of root's group stored. A group whose contributions are stored but seldom
   * served (each parser state it meets is new: it reads rows deep into the stack) costs a lookup and
   * a store per computation and saves nothing: past COLD_AFTER stores with fewer than one hit per
   * COLD_RATIO stores, it is computed as without the memo from then on.
   */
  stored(root: number): void {
    const n = ++this.rootStores[root]!;
    if (n >= COLD_AFTER && this.rootHits[root]! * COLD_RATIO < n) this.rootHits[root] = -1;
  }

  /** Whether `node` has a child. */
  hasChildren(node: number): boolean {
    return this.node[node * 3 + 1]! >= 0;
  }

  /** The child of `node` for row id `row`, or -1. */
  child(node: number, row: number): number {
    const first = this.node[node * 3 + 1]!;
    if (first === row) return this.node[node * 3 + 2]!;
    if (first < 0) return -1;
    const slots = this.edgeSlots;
    const mask = this.edgeMask;
    let i = edgeHash(node, row) & mask;
    for (;;) {
      const at = i * 3;
      const p = slots[at]!;
      if (p < 0) return -1;
      if (p === node && slots[at + 1] === row) return slots[at + 2]!;
      i = (i + 1) & mask;
    }
  }

  /** The child of `node` for row id `row`, made if new. */
  addChild(node: number, row: number): number {
    const found = this.child(node, row);
    if (found >= 0) return found;
    const c = this.newNode();
    if (this.node[node * 3 + 1]! < 0) {
      this.node[node * 3 + 1] = row;
      this.node[node * 3 + 2] = c;
      return c;
    }
    if ((this.edges + 1) * 2 > this.edgeMask + 1) this.growEdges();
    this.place(node, row, c);
    this.edges++;
    return c;
  }

  private place(node: number, row: number, child: number): void {
    const slots = this.edgeSlots;
    const mask = this.edgeMask;
    let i = edgeHash(node, row) & mask;
    while (slots[i * 3]! >= 0) i = (i + 1) & mask;
    slots[i * 3] = node;
    slots[i * 3 + 1] = row;
    slots[i * 3 + 2] = child;
  }

  private newNode(): number {
    const n = this.nodes++;
    if (n * 3 === this.node.length) {
      const g = new Int32Array(n * 6);
      g.set(this.node);
      this.node = g;
    }
    this.node[n * 3] = UNKNOWN;
    this.node[n * 3 + 1] = -1;
    if (n === this.nodeEntry.length) {
      const g = new Int32Array(n * 2).fill(-1);
      g.set(this.nodeEntry);
      this.nodeEntry = g;
      this.rootHits = grown(this.rootHits, n * 2);
      this.rootStores = grown(this.rootStores, n * 2);
    }
    return n;
  }

  private growEdges(): void {
    const old = this.edgeSlots;
    const size = (this.edgeMask + 1) * 2;
    this.edgeSlots = new Int32Array(size * 3).fill(-1);
    this.edgeMask = size - 1;
    for (let at = 0; at < old.length; at += 3) if (old[at]! >= 0) this.place(old[at]!, old[at + 1]!, old[at + 2]!);
  }
}

/** Slot of edge (node, row): murmur3's finaliser over both numbers. */
function edgeHash(node: number, row: number): number {
  let h = Math.imul(node, 0xcc9e2d51) ^ row;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

