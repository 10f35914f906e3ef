/**
 * Language-neutral questions about tree-sitter nodes, shared by the security scanner and the test
 * miner. Both find candidate places with a cheap regex over the source and then ask the tree to
 * confirm (is this a call? is its argument built from strings?), so these helpers only climb a few
 * levels from a hit instead of walking whole trees.
 */
import type { Node } from 'web-tree-sitter';

/** Call-like nodes across the grammars Clew reads. */
export const CALL_TYPES: ReadonlySet<string> = new Set([
  'call_expression', 'call', 'method_invocation', 'invocation_expression', 'function_call_expression',
  'member_call_expression', 'scoped_call_expression', 'nullsafe_member_call_expression', 'macro_invocation',
  'new_expression', 'object_creation_expression', 'method_call_expression',
]);

/** String-literal nodes (with or without interpolation). */
export const STRING_TYPES: ReadonlySet<string> = new Set([
  'string', 'template_string', 'string_literal', 'interpreted_string_literal', 'raw_string_literal',
  'encapsed_string', 'interpolated_string_expression', 'verbatim_string_literal', 'line_string_literal',
  'multi_line_string_literal', 'heredoc', 'nowdoc', 'concatenated_string', 'char_literal',
  'interpolated_verbatim_string_expression', 'raw_string_expression',
]);

/** Children of a string node that splice in a value. */
const INTERPOLATION_TYPES: ReadonlySet<string> = new Set([
  'template_substitution', 'interpolation', 'variable_name', 'interpolated_expression',
  'interpolated_identifier', 'string_interpolation', 'member_access_expression', 'subscript_expression',
  'dynamic_variable_name',
]);

/** Binary nodes whose operator may concatenate or format strings. */
const BINARY_TYPES: ReadonlySet<string> = new Set([
  'binary_expression', 'binary_operator', 'additive_expression', 'infix_expression', 'binary',
]);
const CONCAT_OPERATORS: ReadonlySet<string> = new Set(['+', '.', '%', '||', '<<', '..', '+=']);

/** Calls that format a string from a template and values. */
const FORMAT_CALLEES = /(^|\.)(Sprintf|Fprintf|Errorf|format|sprintf|snprintf|Format|formatted|String\.format)!?$/;

export function isComment(node: Node): boolean {
  return node.type.includes('comment');
}

/** The node covering source index `i` (UTF-16 units, as web-tree-sitter counts). */
export function nodeAt(root: Node, i: number): Node | null {
  return root.descendantForIndex(i, i + 1);
}

/** Whether `node` or one of its ancestors (up to `depth`) is a comment. */
export function inComment(node: Node, depth = 3): boolean {
  let n: Node | null = node;
  for (let d = 0; n && d < depth; d++, n = n.parent) if (isComment(n)) return true;
  return false;
}

/** The nearest ancestor-or-self whose type is in `types`, within `depth` levels. */
export function climbTo(node: Node, types: ReadonlySet<string>, depth = 6): Node | null {
  let n: Node | null = node;
  for (let d = 0; n && d <= depth; d++, n = n.parent) if (types.has(n.type)) return n;
  return null;
}

/** The arguments node of a call (`arguments`, `argument_list`, a macro's token tree). */
export function argsOf(call: Node): Node | null {
  const a = call.childForFieldName('arguments');
  if (a) return a;
  const n = call.namedChildCount;
  for (let i = 0; i < n; i++) {
    const c = call.namedChild(i);
    if (c && (c.type === 'token_tree' || c.type === 'arguments' || c.type === 'argument_list' || c.type === 'value_arguments' || c.type === 'call_suffix')) return c;
  }
  return null;
}

/**
 * The callee of a call as written, normalised to dots: `child_process.exec`, `self.assertEqual`,
 * `Command.new`, `format!`. `new X(…)` gives `X`.
 */
export function calleeText(call: Node, source: string): string {
  const args = argsOf(call);
  // Zig keeps arguments as direct children of the call: the callee is the `function` field.
  const fn = args ? null : call.childForFieldName('function');
  let end = args ? args.startIndex : fn ? fn.endIndex : call.endIndex;
  // Ruby/Kotlin blocks and lambdas after the arguments are not part of the callee.
  if (end > call.endIndex) end = call.endIndex;
  let t = source.slice(call.startIndex, end);
  t = t.replace(/^new\s+/, '').replace(/\s+/g, '').replace(/\?\./g, '.').replace(/->|::/g, '.');
  t = t.replace(/^await/, '').replace(/<[^<>()]*>$/, '');
  if (call.type === 'macro_invocation' && !t.endsWith('!')) t += '!';
  return t;
}

/** The last segment of a callee: `child_process.exec` → `exec`. */
export function lastSegment(callee: string): string {
  const i = callee.lastIndexOf('.');
  return i < 0 ? callee : callee.slice(i + 1);
}

/** Argument expressions of a call (PHP/C# `argument` wrappers unwrapped). */
export function argNodes(call: Node): Node[] {
  const args = argsOf(call);
  if (!args) {
    const fn = call.childForFieldName('function');
    if (!fn) return [];
    const out: Node[] = [];
    for (let i = 0; i < call.namedChildCount; i++) {
      const c = call.namedChild(i);
      if (c && c.id !== fn.id && !isComment(c)) out.push(c);
    }
    return out;
  }
  const out: Node[] = [];
  const n = args.namedChildCount;
  for (let i = 0; i < n; i++) {
    let c = args.namedChild(i);
    if (!c || isComment(c)) continue;
    if ((c.type === 'argument' || c.type === 'value_argument') && c.namedChildCount > 0) c = c.namedChild(c.namedChildCount - 1) ?? c;
    out.push(c);
  }
  return out;
}

/** Whether a string node splices in values (template `${}`, f-string `{}`, `#{}`, `$var`). */
export function hasInterpolation(str: Node): boolean {
  const n = str.namedChildCount;
  for (let i = 0; i < n; i++) {
    const c = str.namedChild(i);
    if (c && INTERPOLATION_TYPES.has(c.type)) return true;
  }
  // Kotlin and Swift keep simple `$name` / `\(x)` inside string content.
  if (str.type === 'string_literal' || str.type === 'line_string_literal') {
    const t = str.text;
    if (/(^|[^\\])\$[A-Za-z_{]/.test(t) && t.startsWith('"') && /\$\w/.test(t) && str.tree.language.name === 'kotlin') return true;
    if (/\\\(/.test(t) && str.tree.language.name === 'swift') return true;
  }
  return false;
}

/** A string literal with nothing spliced in. */
export function isPlainString(node: Node): boolean {
  return STRING_TYPES.has(node.type) && !hasInterpolation(node);
}

const LITERAL_TYPES = /^(string|template_string|string_literal|interpreted_string_literal|raw_string_literal|encapsed_string|integer|float|number|true|false|null|nil|none|integer_literal|float_literal|decimal_integer_literal|int_literal|boolean|boolean_literal|char_literal)$/;

function isLiteral(node: Node): boolean {
  if (STRING_TYPES.has(node.type)) return !hasInterpolation(node);
  return LITERAL_TYPES.test(node.type);
}

function operatorOf(bin: Node): string {
  const op = bin.childForFieldName('operator');
  if (op) return op.text;
  // Some grammars keep the operator as an anonymous middle child.
  const n = bin.childCount;
  for (let i = 0; i < n; i++) {
    const c = bin.child(i);
    if (c && !c.isNamed) return c.type;
  }
  return '';
}

function binaryOperands(bin: Node): Node[] {
  const out: Node[] = [];
  const n = bin.namedChildCount;
  for (let i = 0; i < n; i++) {
    const c = bin.namedChild(i);
    if (c && !isComment(c) && c !== bin.childForFieldName('operator')) out.push(c);
  }
  return out;
}

/** Whether a binary node is string concatenation/formatting with at least one non-literal operand. */
export function isConcatWithValue(bin: Node): boolean {
  if (!BINARY_TYPES.has(bin.type)) return false;
  if (!CONCAT_OPERATORS.has(operatorOf(bin))) return false;
  const ops = binaryOperands(bin);
  let sawString = false;
  let sawValue = false;
  for (const o of ops) {
    if (STRING_TYPES.has(o.type)) {
      sawString = true;
      if (hasInterpolation(o)) sawValue = true;
    } else if (BINARY_TYPES.has(o.type)) {
      if (isConcatWithValue(o)) return true;
      if (o.text.includes('"') || o.text.includes("'")) sawString = true;
      else sawValue = true;
    } else if (!isLiteral(o)) {
      sawValue = true;
    }
  }
  return sawString && sawValue;
}

/** Whether a call formats a string (`fmt.Sprintf(tpl, x)`, `format!(…)`, `"…".format(x)`, `String.format`). */
export function isFormatCall(call: Node, source: string): boolean {
  const callee = calleeText(call, source);
  if (!FORMAT_CALLEES.test(callee)) return false;
  if (call.type === 'macro_invocation') return true;
  // `"…".format(x)` (Python) has the template as the receiver; others take it as first argument.
  return argNodes(call).length >= 1;
}

/**
 * Whether an expression builds a string from values: interpolation, concatenation with a
 * non-literal, or a formatting call. This is what makes a shell command or SQL query injectable.
 */
export function isBuiltString(node: Node, source: string): boolean {
  let n: Node = node;
  while (n.type === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChild(0)!;
  if (STRING_TYPES.has(n.type)) return hasInterpolation(n);
  if (BINARY_TYPES.has(n.type)) return isConcatWithValue(n);
  if (CALL_TYPES.has(n.type)) return isFormatCall(n, source);
  return false;
}

/** The 1-based line of a source index. `lineStarts` comes from lineIndex(). */
export function lineIndex(source: string): Uint32Array {
  let count = 1;
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) count++;
  const starts = new Uint32Array(count);
  let k = 1;
  for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) starts[k++] = i + 1;
  return starts;
}

/** 1-based line and column of index `i`, by binary search over line starts. */
export function positionOf(starts: Uint32Array, i: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= i) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: i - starts[lo]! + 1 };
}

/** 1-based line and column of a node or of a source index; the line index is built on first use. */
export class Positions {
  private starts: Uint32Array | undefined;

  constructor(private readonly source: string) {}

  of(at: number | Node): { line: number; column: number } {
    if (typeof at !== 'number') return { line: at.startPosition.row + 1, column: at.startPosition.column + 1 };
    this.starts ??= lineIndex(this.source);
    return positionOf(this.starts, at);
  }
}

/** One line of text for a finding's detail, trimmed to `max` chars. */
export function snippet(text: string, max = 120): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
