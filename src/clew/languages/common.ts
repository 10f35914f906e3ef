/**
 * Small helpers shared by the language extractors (src/clew/languages/<language>.ts).
 *
 * Conventions: lines and columns in facts are 1-based (tree-sitter's are 0-based); text is taken
 * from the node itself (`node.text`, which web-tree-sitter slices from the source in UTF-16 units,
 * so it matches `source.slice(node.startIndex, node.endIndex)`).
 */
import type { Language as TsLanguage, Node } from 'web-tree-sitter';
import type {
  FunctionFact, HoleFact, HoleKind, IdentifierFact, IdentifierKind, ParamFact, Span,
} from '../../core/index.ts';
import type { ExtractedFacts } from './types.ts';

/** A fresh, empty result for an extractor to fill. */
export function emptyFacts(): ExtractedFacts {
  return { functions: [], types: [], imports: [], exports: [], scopes: [], holes: [], identifiers: [], signals: {} };
}

/** 1-based line of the node's start. */
export function lineOf(node: Node): number {
  return node.startPosition.row + 1;
}

/** 1-based column of the node's start. */
export function columnOf(node: Node): number {
  return node.startPosition.column + 1;
}

/** `{ line, column, endLine }` of a node, 1-based. */
export function spanOf(node: Node): Span {
  return { line: node.startPosition.row + 1, column: node.startPosition.column + 1, endLine: node.endPosition.row + 1 };
}

/** The text of a named field child, or undefined when the field is absent. */
export function fieldText(node: Node, field: string): string | undefined {
  const c = node.childForFieldName(field);
  return c ? c.text : undefined;
}

/** The named field child (null-safe shorthand for `childForFieldName`). */
export function field(node: Node, name: string): Node | null {
  return node.childForFieldName(name);
}

/** Named children of the given type(s), direct children only (no deep search). */
export function childrenOfType(node: Node, ...types: string[]): Node[] {
  const out: Node[] = [];
  const n = node.namedChildCount;
  for (let i = 0; i < n; i++) {
    const c = node.namedChild(i);
    if (c && types.includes(c.type)) out.push(c);
  }
  return out;
}

/** The first direct named child of one of the given types. */
export function firstChildOfType(node: Node, ...types: string[]): Node | null {
  const n = node.namedChildCount;
  for (let i = 0; i < n; i++) {
    const c = node.namedChild(i);
    if (c && types.includes(c.type)) return c;
  }
  return null;
}

/** Whether any direct child (named or not) has the given type, e.g. a keyword like `async` or `static`. */
export function hasChildOfType(node: Node, type: string): boolean {
  const kids = node.children; // one call into WASM, cached on the node
  for (let i = 0; i < kids.length; i++) if (kids[i]?.type === type) return true;
  return false;
}

/**
 * Visits the "interesting" nodes of a file in document order without walking the tree node by
 * node in JavaScript: one `descendantsOfType` call (a walk in WASM) finds every node of the given
 * types, and `scan(n, visit)` hands the ones inside `n` to `visit`, skipping those inside an entry
 * already handed out (its visitor reads its own subtree, usually by calling `scan` on parts of it).
 * Visitors must read the tree in document order (a region scanned late is skipped); that is the
 * natural order of a recursive extractor. Anonymous nodes with the same name as a named type
 * (the `class` keyword vs the `class` expression) are left out.
 */
export class OrderedScan {
  private readonly nodes: Node[];
  private readonly types: string[];
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private ptr = 0;

  constructor(root: Node, types: readonly string[]) {
    const all = root.descendantsOfType(types as string[]);
    const lang = root.tree.language;
    const ambiguous = ambiguousTypes(lang);
    const nodes: Node[] = [];
    const kinds: string[] = [];
    for (const n of all) {
      if (!n) continue;
      const type = n.type;
      if (ambiguous.has(type) && !n.isNamed) continue;
      nodes.push(n);
      kinds.push(type);
    }
    this.nodes = nodes;
    this.types = kinds;
    this.starts = new Int32Array(nodes.length);
    this.ends = new Int32Array(nodes.length);
    for (let i = 0; i < nodes.length; i++) {
      this.starts[i] = nodes[i]!.startIndex;
      this.ends[i] = nodes[i]!.endIndex;
    }
  }

  /**
   * Calls `visit(entry, entry.type)` for each entry inside `n` (not `n` itself) that is not inside
   * an earlier entry. The type is passed along because reading it again costs a call into WASM.
   */
  scan(n: Node, visit: (e: Node, type: string) => void): void {
    const { nodes, starts, ends } = this;
    const start = n.startIndex;
    // Visiting an entry usually scans inside it right away: its end is already known.
    const last = this.ptr - 1;
    const end = last >= 0 && nodes[last] === n ? ends[last]! : n.endIndex;
    const id = n.id;
    // Entries before `n`, `n` itself and its ancestors are behind us.
    while (this.ptr < nodes.length) {
      const s = starts[this.ptr]!;
      if (s < start || (s === start && (ends[this.ptr]! > end || nodes[this.ptr]!.id === id))) this.ptr++;
      else break;
    }
    while (this.ptr < nodes.length && starts[this.ptr]! < end) {
      const i = this.ptr++;
      visit(nodes[i]!, this.types[i]!);
      const e = ends[i]!;
      while (this.ptr < nodes.length && starts[this.ptr]! < e) this.ptr++;
    }
  }
}

/**
 * The direct children of a node (named and anonymous) with their types, read once: each `.type`
 * is a call into WASM, so look several keywords up (`async`, `static`, `*`, …) through one of these.
 */
export class Children {
  readonly nodes: Node[];
  readonly types: string[];

  constructor(node: Node) {
    const kids = node.children;
    this.nodes = [];
    this.types = [];
    for (const k of kids) {
      if (!k) continue;
      this.nodes.push(k);
      this.types.push(k.type);
    }
  }

  has(type: string): boolean {
    return this.types.includes(type);
  }

  first(type: string): Node | undefined {
    const i = this.types.indexOf(type);
    return i === -1 ? undefined : this.nodes[i];
  }

  all(type: string): Node[] {
    const out: Node[] = [];
    for (let i = 0; i < this.types.length; i++) if (this.types[i] === type) out.push(this.nodes[i]!);
    return out;
  }

  /** The child right after the first `token` child (e.g. the value after `=`). */
  after(token: string): Node | undefined {
    const i = this.types.indexOf(token);
    return i === -1 ? undefined : this.nodes[i + 1];
  }
}

const ambiguousCache = new WeakMap<TsLanguage, Set<string>>();

/** Type names used by both a named node and an anonymous token in a grammar. */
function ambiguousTypes(lang: TsLanguage): Set<string> {
  let set = ambiguousCache.get(lang);
  if (!set) {
    const named = new Set<string>();
    const anon = new Set<string>();
    lang.types.forEach((t, id) => {
      if (typeof t === 'string') (lang.nodeTypeIsNamed(id) ? named : anon).add(t);
    });
    set = new Set([...named].filter((t) => anon.has(t)));
    ambiguousCache.set(lang, set);
  }
  return set;
}

const IDENT_AT = /[\p{L}\p{N}_$#]+/uy;

/**
 * The text of `node` when it is a plain identifier-like token (letters, digits, `_`, `$`, `#`),
 * read from the source without asking the tree for the node's end (a call into WASM); otherwise
 * `node.text`. Use it for name nodes: identifiers, property names, `#private` names.
 */
export function nameText(node: Node, source: string): string {
  const start = node.startIndex;
  IDENT_AT.lastIndex = start;
  const m = IDENT_AT.exec(source);
  if (m) {
    const next = source.charCodeAt(start + m[0].length);
    // The token ends where the identifier characters end unless something glued follows (`a.b`, `a<T>`, quotes).
    if (!(next === 0x2e || next === 0x3c || next === 0x27 || next === 0x22 || next === 0x60 || next === 0x5c)) return m[0];
  }
  return node.text;
}

/** Collapses runs of whitespace (incl. newlines) to one space: types and defaults as one-line text. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Removes one pair of matching quotes (', ", `) around a string literal's text. */
export function unquote(text: string): string {
  if (text.length >= 2) {
    const q = text[0];
    if ((q === '"' || q === "'" || q === '`') && text[text.length - 1] === q) return text.slice(1, -1);
  }
  return text;
}

const COMMENT_TYPES = new Set(['comment', 'line_comment', 'block_comment', 'doc_comment']);

/** Whether a node type is a comment in one of the grammars we read. */
export function isCommentType(type: string): boolean {
  return COMMENT_TYPES.has(type);
}

/**
 * Cleans comment text into plain doc text: drops `/**`, `*\/`, leading `*`, `///`, `//!`, `//`, `#`
 * markers and surrounding blank lines.
 */
export function cleanComment(text: string): string {
  let t = text.trim();
  if (t.startsWith('/*')) {
    t = t.replace(/^\/\*+!?/, '').replace(/\*+\/$/, '');
    return t.split('\n').map((l) => l.replace(/^\s*\*? ?/, '').trimEnd()).join('\n').trim();
  }
  return t.split('\n').map((l) => l.replace(/^\s*(\/\/[\/!]?|#+|--+|;+) ?/, '').trimEnd()).join('\n').trim();
}

/**
 * The doc comment written directly above `node`: the run of comment siblings that ends on the line
 * just before it (or on its line, for trailing attributes), cleaned. `docOnly` keeps only
 * documentation-style comments (`/**`, `///`, `//!`); otherwise any adjacent comment counts.
 * Pass the outermost node of the declaration (e.g. the `export_statement`, not the inner function).
 */
export function docBefore(node: Node, docOnly = false, source?: string): string | undefined {
  const text = source ?? treeText(node);
  // Skip the tree entirely when the text just above cannot end a comment.
  if (!mayEndComment(text, node.startIndex, docOnly)) return undefined;
  const parts: string[] = [];
  let expectRow = node.startPosition.row;
  let prev = commentBefore(node, text);
  while (prev) {
    if (prev.endPosition.row < expectRow - 1) break;
    const t = prev.text;
    if (docOnly && !(t.startsWith('/**') || t.startsWith('///') || t.startsWith('//!'))) break;
    parts.push(cleanComment(t));
    expectRow = prev.startPosition.row;
    prev = commentBefore(prev, text);
  }
  if (parts.length === 0) return undefined;
  const doc = parts.reverse().join('\n').trim();
  return doc.length > 0 ? doc : undefined;
}

const treeTexts = new WeakMap<object, string>();

/** The source of the node's tree, read once per tree (callers that have it should pass it). */
function treeText(node: Node): string {
  const tree = node.tree;
  let t = treeTexts.get(tree);
  if (t === undefined) {
    const root = tree.rootNode;
    t = ' '.repeat(root.startIndex) + root.text;
    treeTexts.set(tree, t);
  }
  return t;
}

/**
 * The previous sibling of `node` when it is a comment with only whitespace between them, else
 * null. Found from the text (the last non-blank character before the node) with one
 * `descendantForIndex`, because `previousSibling` scans the parent's children from the first one:
 * walking back through a file of hundreds of top-level items that way grows quadratically.
 */
function commentBefore(node: Node, text: string): Node | null {
  let i = node.startIndex - 1;
  while (i >= 0) {
    const ch = text.charCodeAt(i);
    if (ch === 0x20 || ch === 0x09 || ch === 0x0a || ch === 0x0d) i--;
    else break;
  }
  if (i < 0) return null;
  const parent = node.parent;
  if (!parent) return null;
  const parentId = parent.id;
  let c: Node | null = node.tree.rootNode.descendantForIndex(i, i + 1);
  // Climb to the child of `parent` that holds that character: it is the previous sibling.
  while (c && c.parent && c.parent.id !== parentId) c = c.parent;
  if (!c || !c.parent || c.endIndex > node.startIndex) return null;
  return isCommentType(c.type) ? c : null;
}

/**
 * Whether the text before `index` (past blanks) can be the end of a comment: a `*\/`, or a line
 * comment on the previous line (`//`, `#`, `--`, `;`; only `///` and `//!` when `docOnly`).
 */
function mayEndComment(source: string, index: number, docOnly: boolean): boolean {
  let i = index - 1;
  while (i >= 0 && (source.charCodeAt(i) === 0x20 || source.charCodeAt(i) === 0x09 || source.charCodeAt(i) === 0x0a || source.charCodeAt(i) === 0x0d)) i--;
  if (i < 0) return false;
  if (source.charCodeAt(i) === 0x2f && i > 0 && source.charCodeAt(i - 1) === 0x2a) return true; // `*/`
  const lineStart = source.lastIndexOf('\n', i) + 1;
  const line = source.slice(lineStart, i + 1);
  if (docOnly) return /^\s*\/\/[\/!]/.test(line) || line.includes('*/');
  return /\/\/|#|--|;|\*\//.test(line);
}

/** `Container.name`, or `name` at top level: the key scopes and oracles use for functions. */
export function qualifiedName(fn: { name: string; container?: string }): string {
  return fn.container ? `${fn.container}.${fn.name}` : fn.name;
}

/** One parameter in signature notation: `...name?: type = default`. */
export function paramText(p: ParamFact): string {
  let s = (p.variadic && !p.name.startsWith('*') && !p.name.startsWith('...') ? '...' : '') + p.name;
  if (p.optional && p.default === undefined) s += '?';
  if (p.type !== undefined) s += `: ${p.type}`;
  if (p.default !== undefined) s += ` = ${p.default}`;
  return s;
}

/**
 * A language-neutral signature line for a function, used for hole targets and prompts:
 * `async Container.name<T>(a: T, b?: U, ...rest: V): R` (types only where they were written).
 */
export function signatureText(fn: FunctionFact): string {
  const tp = fn.typeParams && fn.typeParams.length > 0 ? `<${fn.typeParams.join(', ')}>` : '';
  const head = `${fn.async ? 'async ' : ''}${fn.generator ? '*' : ''}${qualifiedName(fn)}${tp}`;
  const ret = fn.returnType !== undefined ? `: ${fn.returnType}` : '';
  return `${head}(${fn.params.map(paramText).join(', ')})${ret}`;
}

/** A hole at `node`, attached to the enclosing function when there is one. */
export function makeHole(kind: HoleKind, node: Node, text: string, enclosing?: FunctionFact): HoleFact {
  const hole: HoleFact = { kind, text: oneLine(text), ...spanOf(node) };
  if (enclosing) hole.enclosing = { name: qualifiedName(enclosing), signature: signatureText(enclosing), line: enclosing.line };
  return hole;
}

/** Records a declared identifier for naming conventions (skips empty and `_`-only names). */
export function addIdentifier(out: IdentifierFact[], name: string, kind: IdentifierKind, node: Node): void {
  if (name.length === 0 || /^_+$/.test(name)) return;
  out.push({ name, kind, line: node.startPosition.row + 1 });
}

/** Matches the messages conventionally used for "not implemented yet" placeholders. */
export const NOT_IMPLEMENTED_RE = /\b(not\s+(yet\s+)?implemented|unimplemented|todo)\b/i;
