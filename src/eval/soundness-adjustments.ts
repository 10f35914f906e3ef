/**
 * Rewrites of sampled texts for tree-sitter grammars that are narrower than their language, used as
 * `adjust` in `checkGrammarSoundness`: each rewrite gives a text the language reads the same way,
 * and the soundness report counts every one, so a limit of the judge is never hidden as a pass.
 */
import type { AdjustFn, TextAdjustment } from './grammar-soundness.ts';

/**
 * Rewrites a Go text into one that Go reads the same way (each rewrite follows the Go
 * specification) and that tree-sitter-go 0.25 can parse. Each is a limit of tree-sitter-go, not of
 * a grammar (docs/grammars.md, section "Go", lists what the soundness check found):
 *
 * - `block comment with a line break` → a line break. Go: "a general comment containing one or
 *   more newlines acts like a newline"; tree-sitter-go reads it as white space.
 * - `no line break at the end` → one is added. Go inserts the final `;` at the end of the file;
 *   tree-sitter-go wants a terminator after a last `var`/`const`/`type` declaration.
 * - `no ";" after the last spec of a var/const group` → `;` before `)`: Go lets the last `;` be
 *   left out (`var (x int)`); tree-sitter-go wants one after every spec.
 * - `line break as the ";" of an if/for/switch header` → `;` added: Go's automatic semicolon
 *   (`if x := f()` newline `x > 0 {`); tree-sitter-go takes only a written `;` there.
 * - `empty statement` → removed (`f();; g()`, `{; g()}`, `L:; g()`, `case 1:; g()`): an empty
 *   statement does nothing; tree-sitter-go takes one only at the end of a statement list.
 * - `labels right before "}"` → `;` before the `}`: two or more labels before a closing brace
 *   (`L1: L2: }`) label an empty statement, which tree-sitter-go wants written (`L1: L2: ;}`).
 * - `identifier character outside XID` → `X`: 22 letters that Go takes in identifiers (Unicode
 *   category L) but that are not XID_Start/XID_Continue, which tree-sitter-go's identifier
 *   requires (U+037A, U+0E33, U+0EB3, U+2E2F, U+FC5E–U+FC63, U+FDFA, U+FDFB, U+FE70–U+FE7E even,
 *   U+FF9E, U+FF9F). The identifier stays an identifier; only its spelling changes.
 *
 * The scan knows Go's tokens (comments, strings, raw strings, runes, brackets); it does not
 * parse. Where it cannot tell (a function literal inside an if/for/switch header), it leaves the
 * text as it is, so a limit of tree-sitter is at worst reported as a failure, never a failure
 * hidden.
 */
export function adjustGoForTreeSitter(src: string): TextAdjustment {
  const applied = new Set<string>();
  let out = '';
  /** Open brackets; `group`: the `(` of a var/const group. */
  const brackets: { group: boolean }[] = [];
  /** Bracket depths of the if/for/switch headers being read (innermost last). */
  const headers: number[] = [];
  /** The last token ('' at the start; 'lit' for a string, raw string or rune). */
  let last = '';
  /** A line break (or a block comment holding one) since `last`. */
  let lineBreak = false;
  /** `last` is `var` or `const` (a `(` now opens a group). */
  let groupNext = false;
  /** When `last` is `:`, how many labels end there (`L1: L2:` → 2); `labelsBefore` for the word just read. */
  let labels = 0;
  let labelsBefore = 0;
  /** The word just read stands where a statement starts (so a `:` after it ends a label). */
  let wordStartsStmt = false;
  const inHeader = () => headers.length > 0 && headers[headers.length - 1] === brackets.length;
  const token = (t: string) => {
    if (t !== ':') labels = 0;
    last = t;
    lineBreak = false;
    groupNext = t === 'var' || t === 'const';
  };
  const newline = () => {
    if (inHeader() && !lineBreak && endsGoLine(last)) {
      out += ';';
      last = ';';
      applied.add('line break as the ";" of an if/for/switch header');
    }
    lineBreak = true;
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const d = src[i + 1];
    if (c === '\n') {
      newline();
      out += c;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      out += c;
      i++;
    } else if (c === '/' && d === '/') {
      const j = src.indexOf('\n', i);
      const end = j < 0 ? src.length : j;
      out += src.slice(i, end);
      i = end;
    } else if (c === '/' && d === '*') {
      const j = src.indexOf('*/', i + 2);
      const end = j < 0 ? src.length : j + 2;
      const comment = src.slice(i, end);
      if (comment.includes('\n')) {
        newline();
        out += '\n';
        applied.add('block comment with a line break');
      } else {
        out += comment;
      }
      i = end;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
      token('lit');
    } else if (c === '`') {
      const j = src.indexOf('`', i + 1);
      const end = j < 0 ? src.length : j + 1;
      out += src.slice(i, end);
      i = end;
      token('lit');
    } else if (WORD_START.test(c) || (c >= '\uD800' && c <= '\uDBFF')) {
      WORD.lastIndex = i;
      const m = WORD.exec(src);
      const word = m && m.index === i ? m[0] : c;
      let spelled = word;
      if (NOT_XID.test(word)) {
        spelled = word.replace(NOT_XID_ALL, 'X');
        applied.add('identifier character outside XID');
      }
      out += spelled;
      i += word.length;
      labelsBefore = last === ':' ? labels : 0;
      wordStartsStmt = last === '{' || last === ';' || last === ':' || (lineBreak && endsGoLine(last));
      token(word);
      if (word === 'if' || word === 'for' || word === 'switch') headers.push(brackets.length);
    } else if ((c === '+' || c === '-') && d === c) {
      out += c + c;
      i += 2;
      token(c + c);
    } else if (c === '(' || c === '[' || c === '{') {
      // The header ends at its block's "{" (not at the braces of a struct or interface type).
      if (c === '{' && inHeader() && last !== 'struct' && last !== 'interface') headers.pop();
      brackets.push({ group: c === '(' && groupNext });
      out += c;
      i++;
      token(c);
    } else if (c === ':' && d !== '=') {
      const label = wordStartsStmt && /^[\p{L}\p{N}_]/u.test(last) && !GO_KEYWORDS.has(last);
      out += c;
      i++;
      token(c);
      labels = label ? labelsBefore + 1 : 0;
      wordStartsStmt = false;
    } else if (c === ')' || c === ']' || c === '}') {
      if (c === '}' && last === ':' && labels >= 2) {
        out += ';';
        applied.add('labels right before "}"');
      }
      const open = brackets.pop();
      if (c === ')' && open?.group && !lineBreak && last !== ';' && last !== '(') {
        out += ';';
        applied.add('no ";" after the last spec of a var/const group');
      }
      while (headers.length > 0 && headers[headers.length - 1] > brackets.length) headers.pop();
      out += c;
      i++;
      token(c);
    } else if (c === ';' && !inHeader() && (last === '{' || last === ';' || last === ':' || (lineBreak && endsGoLine(last)))) {
      // An empty statement: after `{`, `;`, a label or case `:`, or a line break that ended a statement.
      applied.add('empty statement');
      i++;
    } else {
      out += c;
      i++;
      token(c);
    }
  }
  if (!out.endsWith('\n')) {
    out += '\n';
    applied.add('no line break at the end');
  }
  return { text: out, applied: [...applied] };
}

/**
 * Rewrites a Rust text into one that Rust reads the same way and that tree-sitter-rust can parse.
 * Each is a limit of tree-sitter-rust (docs/grammars.md, "Rust" → "Soundness"):
 *
 * - `white space or comment between macro_rules and "!"` → removed: tree-sitter-rust lexes
 *   `macro_rules!` as one token; Rust reads `macro_rules !` (a comment between too) as the same two tokens.
 * - `empty generic parameter list` → the `<` and `>` become spaces (`struct S<> {}`, `impl<> S`,
 *   `fn f<>()`): an empty list declares nothing; tree-sitter-rust wants a parameter.
 *
 * The scan knows Rust's tokens (comments nested, strings, raw strings, chars and lifetimes); it does
 * not parse, and it changes nothing inside token trees (macro calls, `macro_rules!` bodies,
 * attributes), whose text a macro sees.
 */
export function adjustRustForTreeSitter(src: string): TextAdjustment {
  const applied = new Set<string>();
  let out = '';
  /** Open brackets; `tt`: a token tree (after `!` or `#`/`#!`, or inside one). */
  const brackets: boolean[] = [];
  /** The last two significant tokens. */
  let last = '';
  let prev = '';
  /** Where `out` ended before the last token, and whether white space or a comment followed it. */
  let macroRulesAt = -1;
  const inTt = () => brackets.length > 0 && brackets[brackets.length - 1];
  const token = (t: string) => {
    prev = last;
    last = t;
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const d = src[i + 1];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      out += c;
      i++;
      continue;
    }
    if (c === '/' && d === '/') {
      const j = src.indexOf('\n', i);
      const end = j < 0 ? src.length : j;
      out += src.slice(i, end);
      i = end;
      continue;
    }
    if (c === '/' && d === '*') {
      let depth = 0;
      let j = i;
      while (j < src.length) {
        if (src[j] === '/' && src[j + 1] === '*') { depth++; j += 2; }
        else if (src[j] === '*' && src[j + 1] === '/') { depth--; j += 2; if (depth === 0) break; }
        else j++;
      }
      out += src.slice(i, j);
      i = j;
      continue;
    }
    const start = i;
    let tok: string;
    RAW.lastIndex = i;
    const raw = RAW.exec(src);
    if (raw) {
      const hashes = raw[1]!;
      const close = src.indexOf('"' + hashes, RAW.lastIndex);
      i = close < 0 ? src.length : close + 1 + hashes.length;
      tok = 'lit';
    } else if (c === '"' || ((c === 'b' || c === 'c') && d === '"')) {
      let j = c === '"' ? i + 1 : i + 2;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      i = j + 1;
      tok = 'lit';
    } else if (c === "'" || (c === 'b' && d === "'")) {
      CHAR.lastIndex = c === 'b' ? i + 1 : i;
      const m = CHAR.exec(src);
      if (m) { i = CHAR.lastIndex; tok = 'lit'; }
      else { LIFETIME.lastIndex = i; const l = LIFETIME.exec(src); i = l ? LIFETIME.lastIndex : i + 1; tok = 'lifetime'; }
    } else if (/[A-Za-z0-9_]/.test(c)) {
      RUST_WORD.lastIndex = i;
      RUST_WORD.exec(src);
      i = RUST_WORD.lastIndex;
      tok = src.slice(start, i);
    } else {
      i++;
      tok = c;
    }
    const text = src.slice(start, i);
    if (tok === '!' && last === 'macro_rules' && macroRulesAt >= 0 && out.length > macroRulesAt && !inTt()) {
      out = out.slice(0, macroRulesAt);
      applied.add('white space or comment between macro_rules and "!"');
    }
    if (tok === '(' || tok === '[' || tok === '{') {
      brackets.push(inTt() || last === '!' || last === '#' || (prev === '!' && last !== 'lit' && /^[A-Za-z_]/.test(last) && last !== 'macro_rules'));
    } else if (tok === ')' || tok === ']' || tok === '}') {
      brackets.pop();
    }
    if (tok === '<' && !inTt() && (last === 'impl' || (/^[A-Za-z_]/.test(last) && GENERIC_ITEMS.has(prev)))) {
      EMPTY_GENERICS.lastIndex = i;
      const m = EMPTY_GENERICS.exec(src);
      if (m) {
        out += ' ' + m[1] + ' ';
        i = EMPTY_GENERICS.lastIndex;
        applied.add('empty generic parameter list');
        continue;
      }
    }
    out += text;
    token(tok);
    macroRulesAt = tok === 'macro_rules' ? out.length : -1;
  }
  return { text: out, applied: [...applied] };
}

const RAW = /(?:b|c)?r(#*)"/y;
const CHAR = /'(?:\\(?:u\{[0-9A-Fa-f_]*\}|x[0-9A-Fa-f]{2}|.)|[^\\'\n])'/uy;
const LIFETIME = /'(?:r#)?[A-Za-z0-9_]+/y;
const RUST_WORD = /(?:r#)?[A-Za-z0-9_]+/y;
/** `<`, only white space and comments (not nested), `>`. */
const EMPTY_GENERICS = /((?:\s|\/\/[^\n]*\n|\/\*(?:[^*]|\*(?!\/))*\*\/)*)>/y;
const GENERIC_ITEMS = new Set(['struct', 'enum', 'union', 'trait', 'type', 'fn']);

/** Per-language rewrites for tree-sitter's grammars (`adjust` in `checkGrammarSoundness`). */
export const TREE_SITTER_ADJUSTMENTS: Readonly<Record<string, AdjustFn>> = { go: adjustGoForTreeSitter, rust: adjustRustForTreeSitter };

const WORD_START = /[\p{L}\p{N}_]/u;
const WORD = /[\p{L}\p{N}_]+/uy;
const NOT_XID = /[\u037A\u0E33\u0EB3\u2E2F\uFC5E-\uFC63\uFDFA\uFDFB\uFE70\uFE72\uFE74\uFE76\uFE78\uFE7A\uFE7C\uFE7E\uFF9E\uFF9F]/u;
const NOT_XID_ALL = new RegExp(NOT_XID.source, 'gu');
const GO_KEYWORDS = new Set('break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var'.split(' '));

/** Go inserts `;` at a line break after this token (an identifier, a literal, one of the four keywords, `) ] } ++ --`). */
function endsGoLine(t: string): boolean {
  if (t === 'lit' || t === ')' || t === ']' || t === '}' || t === '++' || t === '--') return true;
  if (!WORD_START.test(t[0] ?? '') && !/^[\uD800-\uDBFF]/.test(t)) return false;
  return !GO_KEYWORDS.has(t) || t === 'break' || t === 'continue' || t === 'fallthrough' || t === 'return';
}
