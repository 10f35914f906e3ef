/**
 * Security findings in one file: eval and dynamic code, shell commands and SQL built from strings,
 * hard-coded secrets, unsafe deserialization, raw HTML sinks.
 *
 * Strategy: a regex over the source finds candidate places (cheap, and most files have none),
 * then the syntax tree confirms each one (it is a call, not a comment; its argument is built from
 * a value, not a constant). This keeps the cost proportional to the candidates, not the tree.
 */
import type { Node } from 'web-tree-sitter';
import type { Language, SecurityFact, SecurityFinding } from '../core/index.ts';
import {
  CALL_TYPES, STRING_TYPES, argNodes, argsOf, calleeText, climbTo, hasInterpolation, inComment, isBuiltString,
  isConcatWithValue, isFormatCall, isPlainString, lastSegment, nodeAt, Positions, snippet,
} from './node-query.ts';
import { KEY_SHAPES, SQL_TEXT } from './security-patterns.ts';

type Lang = Language;
const JS: ReadonlySet<Lang> = new Set(['typescript', 'tsx', 'javascript']);

/** Confirms a call found by a rule's regex; returns true when it is a finding. */
type CallCheck = (call: Node, callee: string, source: string) => boolean;

interface CallRule {
  finding: SecurityFinding;
  langs: ReadonlySet<Lang>;
  /** Matches the callee's name (or a keyword argument such as `shell=True`) in the source. */
  re: RegExp;
  /** Whether the hit is in the arguments (`shell=True`) rather than the callee. */
  inArgs?: boolean;
  check: CallCheck;
}

const set = (...ls: Lang[]): ReadonlySet<Lang> => new Set(ls);
const firstArg = (call: Node): Node | undefined => argNodes(call)[0];
const firstArgBuilt = (call: Node, _c: string, src: string): boolean => {
  const a = firstArg(call);
  return a !== undefined && isBuiltString(a, src);
};
const firstArgNotConstant = (call: Node): boolean => {
  const a = firstArg(call);
  return a !== undefined && !isPlainString(a);
};
const anyArgBuilt = (call: Node, _c: string, src: string): boolean => argNodes(call).some((a) => isBuiltString(a, src));

const CALL_RULES: CallRule[] = [
  { finding: 'eval', langs: set('typescript', 'tsx', 'javascript', 'python', 'php', 'ruby'), re: /\beval\b/g,
    check: (_n, c) => c === 'eval' || /^(window|globalThis|global|self|Kernel)\.eval$/.test(c) },
  { finding: 'eval', langs: set('python'), re: /\bexec\b/g, check: (_n, c) => c === 'exec' },
  { finding: 'dynamic_function', langs: JS, re: /\bFunction\b/g, check: (_n, c) => c === 'Function' },
  // Shell commands built from strings.
  { finding: 'shell_injection', langs: set('python'), re: /\bshell\s*=\s*True\b/g, inArgs: true, check: () => true },
  { finding: 'shell_injection', langs: set('python'), re: /\b(os\.system|os\.popen|subprocess\.getoutput|subprocess\.getstatusoutput|commands\.getoutput)\b/g,
    check: firstArgNotConstant },
  { finding: 'shell_injection', langs: JS, re: /\b(exec|execSync)\b/g,
    check: (n, c, s) => /(^|\.)(exec|execSync)$/.test(c) && firstArgBuilt(n, c, s) },
  { finding: 'shell_injection', langs: set('php'), re: /\b(shell_exec|system|exec|passthru|popen|proc_open)\b/g,
    check: (n, c) => /^(shell_exec|system|exec|passthru|popen|proc_open)$/.test(c) && firstArgNotConstant(n) },
  { finding: 'shell_injection', langs: set('ruby'), re: /\b(system|exec|spawn|popen|capture2e?|capture3)\b/g,
    check: (n, c, s) => /^((Kernel|IO|Open3|Process)\.)?(system|exec|spawn|popen|capture2e?|capture3)$/.test(c) && firstArgBuilt(n, c, s) },
  { finding: 'shell_injection', langs: set('go'), re: /\bexec\.Command(Context)?\b/g, check: anyArgBuilt },
  { finding: 'shell_injection', langs: set('java', 'kotlin'), re: /\bexec\b/g,
    check: (n, c, s) => c.endsWith('.exec') && firstArgBuilt(n, c, s) },
  { finding: 'shell_injection', langs: set('c', 'cpp'), re: /\b(system|popen)\b/g,
    check: (n, c) => (c === 'system' || c === 'popen' || c === 'std.system') && firstArgNotConstant(n) },
  { finding: 'shell_injection', langs: set('csharp'), re: /\bProcess\.Start\b/g, check: anyArgBuilt },
  { finding: 'shell_injection', langs: set('rust'), re: /\bCommand::new\b/g, check: firstArgBuilt },
  // Unsafe deserialization.
  { finding: 'unsafe_deserialization', langs: set('python'),
    re: /\b(c?[Pp]ickle|_pickle|dill|marshal|shelve|jsonpickle)\.(loads?|Unpickler|open|decode)\b/g, check: () => true },
  { finding: 'unsafe_deserialization', langs: set('python'), re: /\byaml\.(load|load_all|unsafe_load|unsafe_load_all)\b/g,
    check: (n, c, s) => c.startsWith('yaml.unsafe') || !/\b(C?SafeLoader|BaseLoader)\b/.test(s.slice(n.startIndex, n.endIndex)) },
  { finding: 'unsafe_deserialization', langs: set('java', 'kotlin'), re: /\b(ObjectInputStream|XMLDecoder)\b/g,
    check: (n, c) => (n.type === 'object_creation_expression' || n.type === 'call_expression') && /(^|\.)(ObjectInputStream|XMLDecoder)$/.test(c) },
  { finding: 'unsafe_deserialization', langs: set('php'), re: /\bunserialize\b/g,
    check: (n, c, s) => c === 'unserialize' && !/allowed_classes['"]\s*=>\s*false/.test(s.slice(n.startIndex, n.endIndex)) },
  { finding: 'unsafe_deserialization', langs: set('ruby'), re: /\b(Marshal\.load|Marshal\.restore|YAML\.unsafe_load|Psych\.unsafe_load)\b/g, check: () => true },
  { finding: 'unsafe_deserialization', langs: set('csharp'), re: /\b(BinaryFormatter|NetDataContractSerializer|LosFormatter|SoapFormatter)\b/g,
    check: (n) => n.type === 'object_creation_expression' },
  { finding: 'unsafe_deserialization', langs: JS, re: /\bunserialize\b/g, check: (_n, c) => lastSegment(c) === 'unserialize' },
];

/** The call whose callee (or, with `inArgs`, whose arguments) contain index `at`. */
function callAt(root: Node, at: number, inArgs: boolean): Node | null {
  const leaf = nodeAt(root, at);
  if (!leaf || inComment(leaf)) return null;
  if (leaf.type.includes('string') || leaf.type === 'string_fragment' || leaf.type === 'string_content') return null;
  let n: Node | null = leaf;
  for (let d = 0; n && d < (inArgs ? 6 : 4); d++, n = n.parent) {
    if (!CALL_TYPES.has(n.type)) continue;
    if (inArgs) return n;
    const args = argsOf(n);
    if (!args || at < args.startIndex) return n;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// SQL built from strings

const SQL_HINT = /\b(select|insert\s+into|update|delete\s+from|replace\s+into|merge\s+into)\b/gi;
const SQL_SHAPE = new RegExp(SQL_TEXT, 'i');
const WRAPPERS: ReadonlySet<string> = new Set(['parenthesized_expression', 'binary_expression', 'binary_operator', 'additive_expression', 'binary']);

/**
 * The expression that builds a string from values around a string literal (the literal itself when
 * it interpolates, a concatenation, a formatting call), or null when the string is constant.
 */
export function stringBuilder(str: Node, source: string): Node | null {
  if (hasInterpolation(str)) {
    const parent = str.parent;
    // A tagged template (sql`…${x}…`) is how parameterised query libraries are written: safe.
    if (str.type === 'template_string' && parent && parent.type === 'call_expression' && parent.childForFieldName('arguments')?.id === str.id) return null;
    return str;
  }
  let top = str;
  while (top.parent && WRAPPERS.has(top.parent.type)) top = top.parent;
  if (top.id !== str.id && isConcatWithValue(top)) return top;
  const parent = str.parent;
  if (!parent) return null;
  // "…".format(x)
  if (parent.type === 'attribute' && parent.childForFieldName('attribute')?.text === 'format' && parent.parent && CALL_TYPES.has(parent.parent.type)) {
    return parent.parent;
  }
  // fmt.Sprintf("…%s", x), String.format, format!("…{}", x) / format!("…{x}")
  const call = parent.type === 'token_tree' ? parent.parent : parent.parent && CALL_TYPES.has(parent.parent.type) ? parent.parent : null;
  if (call && CALL_TYPES.has(call.type) && isFormatCall(call, source)) {
    if (call.type === 'macro_invocation') return /\{[\w.]*(:[^}]*)?\}/.test(str.text) ? call : null;
    return argNodes(call).length > 1 && /%[-+ #0-9.]*[sdvqxf]|\{\d*\}/.test(str.text) ? call : null;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Hard-coded secrets

const SECRET_NAME = /(?<![\w$])[\w$]*(?:password|passwd|pwd|secret|token|api_?key|apikey|access_?key|private_?key|secret_?key|passphrase)['"]?\s*(?::\s*[\w.<>[\]|?]{1,40}\s*)?(?::=|=>|=|:)\s*(?=[rbuRBU@$]*["'`])/gi;
const SECRET_LAST_WORDS: ReadonlySet<string> = new Set(['password', 'passwd', 'pwd', 'secret', 'token', 'apikey', 'passphrase']);
const SECRET_PAIRS: ReadonlySet<string> = new Set(['api key', 'access key', 'secret key', 'private key', 'client secret', 'auth token', 'signing key', 'encryption key', 'master key']);
const PLACEHOLDER = /^(x+|\*+|\.+|<[^>]*>|\$\{[^}]*\}|%\w+%|\{\{.*\}\}|changeme|change_me|your[-_ ]?\w*|placeholder|example|dummy|test|none|null|undefined|todo|secret|password|token)$/i;

function nameWords(name: string): string[] {
  return name.replace(/^[$_]+/, '').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[\s_$]+/).filter((w) => w.length > 0);
}

/** Whether an identifier names a secret: it ends in password/secret/token/api key… */
export function isSecretName(name: string): boolean {
  const w = nameWords(name);
  if (w.length === 0) return false;
  if (SECRET_LAST_WORDS.has(w[w.length - 1]!)) return true;
  return w.length >= 2 && SECRET_PAIRS.has(`${w[w.length - 2]} ${w[w.length - 1]}`);
}

/** Well-known credential shapes, found anywhere in the source (literals, comments, config blocks). */
const KEY_SHAPE_RES: { re: RegExp; what: string }[] = KEY_SHAPES.map((k) => ({ re: new RegExp(k.regex, 'g'), what: k.what }));

/** Whether a string literal's value could be a real secret: not empty, short, spaced, repeated or a placeholder. */
export function isSecretValue(value: string): boolean {
  return !(value.length < 4 || /\s/.test(value) || PLACEHOLDER.test(value) || /^(.)\1*$/.test(value));
}

/** A secret's first characters only: findings are printed and must not leak what they found. */
function mask(s: string): string {
  return s.length <= 4 ? '****' : `${s.slice(0, 4)}…(${s.length} chars)`;
}

/** The text inside a string literal's quotes (prefixes such as `r`, `b`, `@`, `$` dropped). */
export function unquoted(text: string): string {
  const m = /^[rbuRBU@$]*(["'`])([\s\S]*)\1$/.exec(text);
  return m ? m[2]! : text;
}

// ---------------------------------------------------------------------------------------------

const HTML_SINK = /\.(innerHTML|outerHTML)\s*\+?=(?!=)/g;
const DANGEROUS_HTML = /\bdangerouslySetInnerHTML\b/g;

/** Security findings in one tree (eval, shell and SQL injection, secrets, unsafe deserialization, innerHTML). */
export function scanSecurity(root: Node, language: Language, source: string): SecurityFact[] {
  const out: SecurityFact[] = [];
  const seen = new Set<string>();
  const positions = new Positions(source);
  const add = (finding: SecurityFinding, at: number | Node, detail: string): void => {
    const { line, column } = positions.of(at);
    const key = `${finding}:${line}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ finding, detail, line, column });
  };

  for (const rule of CALL_RULES) {
    if (!rule.langs.has(language)) continue;
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(source); m; m = rule.re.exec(source)) {
      const call = callAt(root, m.index, rule.inArgs === true);
      if (!call) continue;
      const callee = calleeText(call, source);
      if (rule.check(call, callee, source)) add(rule.finding, call, snippet(source.slice(call.startIndex, call.endIndex)));
    }
  }

  SQL_HINT.lastIndex = 0;
  const sqlDone = new Set<number>();
  for (let m = SQL_HINT.exec(source); m; m = SQL_HINT.exec(source)) {
    const leaf = nodeAt(root, m.index);
    if (!leaf) continue;
    const str = climbTo(leaf, STRING_TYPES, 2);
    if (!str || sqlDone.has(str.id)) continue;
    sqlDone.add(str.id);
    const builder = stringBuilder(str, source);
    if (!builder) continue;
    const text = source.slice(builder.startIndex, builder.endIndex);
    if (SQL_SHAPE.test(text)) add('sql_injection', builder, snippet(text));
  }

  SECRET_NAME.lastIndex = 0;
  for (let m = SECRET_NAME.exec(source); m; m = SECRET_NAME.exec(source)) {
    const nameMatch = /^[\w$]+/.exec(m[0])!;
    if (!isSecretName(nameMatch[0])) continue;
    const nameNode = nodeAt(root, m.index);
    if (!nameNode || inComment(nameNode)) continue;
    const valueStart = m.index + m[0].length;
    const valueLeaf = nodeAt(root, valueStart);
    if (!valueLeaf) continue;
    const str = climbTo(valueLeaf, STRING_TYPES, 2);
    if (!str || !str.isNamed || str.startIndex !== valueStart || hasInterpolation(str)) continue;
    const value = unquoted(str.text);
    if (!isSecretValue(value)) continue;
    add('hardcoded_secret', m.index, `${nameMatch[0]} = "${mask(value)}"`);
  }
  for (const shape of KEY_SHAPE_RES) {
    shape.re.lastIndex = 0;
    for (let m = shape.re.exec(source); m; m = shape.re.exec(source)) add('hardcoded_secret', m.index, `${shape.what} ${mask(m[0])}`);
  }

  if (JS.has(language)) {
    HTML_SINK.lastIndex = 0;
    for (let m = HTML_SINK.exec(source); m; m = HTML_SINK.exec(source)) {
      const leaf = nodeAt(root, m.index + 1);
      if (!leaf || inComment(leaf)) continue;
      const assign = climbTo(leaf, new Set(['assignment_expression', 'augmented_assignment_expression']), 3);
      if (assign) add('inner_html', assign, snippet(source.slice(assign.startIndex, assign.endIndex)));
    }
    DANGEROUS_HTML.lastIndex = 0;
    for (let m = DANGEROUS_HTML.exec(source); m; m = DANGEROUS_HTML.exec(source)) {
      const leaf = nodeAt(root, m.index);
      if (!leaf || inComment(leaf) || leaf.type === 'string_fragment') continue;
      add('inner_html', m.index, snippet(source.slice(m.index, Math.min(source.length, m.index + 80)).split('\n')[0]!));
    }
  }

  out.sort((a, b) => a.line - b.line || a.column - b.column);
  return out;
}
