/**
 * Ariadne's parser: tokens → syntax tree (ast.ts), by recursive descent with one or two tokens of
 * lookahead. It recovers instead of stopping: a bad field is skipped up to the next field, a bad
 * declaration up to the next `constraint`, `module`, `import` or `pub` that starts a line, and each
 * problem is reported once. Values nest at most `maxDepth` levels, so no input can exhaust the stack.
 */
import type { AriadneFile, ConstraintDecl, Entry, Value } from './ast.ts';
import { DiagnosticSink, type Diagnostic, type Span } from './diagnostics.ts';
import { tokenize, type Token } from './lexer.ts';
import { DEFAULT_ARIADNE_LIMITS, type AriadneLimits } from './limits.ts';

const TOP_KEYWORDS = new Set(['module', 'import', 'constraint', 'pub']);
const CLOSERS = new Set([')', ']', '}']);

/** Parses one file's text. Problems go to `sink`; the tree holds everything that could be read. */
export function parseFile(text: string, file: string, sink: DiagnosticSink, maxDepth: number): AriadneFile {
  return new Parser(text, tokenize(text, file, sink), file, sink, maxDepth).parseFile();
}

/** The syntax tree of Ariadne text and the syntax problems found in it (no compiling, no imports). */
export function parseAriadne(text: string, options: { file?: string; limits?: Partial<AriadneLimits> } = {}): { ast: AriadneFile; diagnostics: Diagnostic[] } {
  const limits = { ...DEFAULT_ARIADNE_LIMITS, ...options.limits };
  const sink = new DiagnosticSink(limits.maxDiagnostics);
  const ast = parseFile(text, options.file ?? 'input.ariadne', sink, limits.maxDepth);
  return { ast, diagnostics: sink.list };
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof': return 'the end of the file';
    case 'ident': return `'${t.text}'`;
    case 'string': return 'a string';
    case 'number': return `the number ${t.text}`;
    case 'raw': return 'a { … } block';
    case 'punct': return `'${t.text}'`;
  }
}

class Parser {
  private i = 0;
  private depthReported = false;

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
    private readonly file: string,
    private readonly sink: DiagnosticSink,
    private readonly maxDepth: number,
  ) {}

  private peek(k = 0): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private isPunct(t: Token, p: string): boolean {
    return t.kind === 'punct' && t.text === p;
  }

  private error(at: Span, message: string): void {
    this.sink.add('error', this.file, at, message);
  }

  /** The span from the start of `a` to the end of `b` (or of `a`'s line, when `b` is on a later line). */
  private spanFrom(a: Token, b: Token): Span {
    return b.span.line === a.span.line ? { ...a.span, length: Math.max(1, b.end - a.span.offset) } : a.span;
  }

  /** The token `k` ahead starts a declaration: `constraint`, `module`, `import` or `pub` first on its line. */
  private isTopKeyword(k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'ident' && t.firstOnLine && TOP_KEYWORDS.has(t.text) && !this.isPunct(this.peek(k + 1), ':');
  }

  /** A field or object key: an identifier (or, in objects, a string) followed by `:`. */
  private atKey(allowString: boolean): boolean {
    const t = this.peek();
    return (t.kind === 'ident' || (allowString && t.kind === 'string')) && this.isPunct(this.peek(1), ':');
  }

  parseFile(): AriadneFile {
    const out: AriadneFile = { file: this.file, imports: [], constraints: [], consts: [], fns: [] };
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') break;
      if (this.isPunct(t, ';') || this.isPunct(t, ',')) {
        this.next();
        continue;
      }
      if (t.kind === 'ident') {
        if (t.text === 'module') { this.parseModule(out); continue; }
        if (t.text === 'import') { this.parseImport(out); continue; }
        if (t.text === 'constraint') { this.parseConstraint(out); continue; }
        if (t.text === 'pub') { this.parsePub(out); continue; }
      }
      this.error(t.span, `expected 'module', 'import', 'constraint' or 'pub', found ${describe(t)}`);
      this.syncTop();
    }
    return out;
  }

  /** Skips to the next declaration keyword at the start of a line. */
  private syncTop(): void {
    this.next();
    while (this.peek().kind !== 'eof' && !this.isTopKeyword()) this.next();
  }

  private parsePath(what: string): { parts: string[]; span: Span } | undefined {
    const first = this.peek();
    if (first.kind !== 'ident') {
      this.error(first.span, `expected ${what}, found ${describe(first)}`);
      return undefined;
    }
    this.next();
    const parts = [first.text];
    let last = first;
    while (this.isPunct(this.peek(), '.') && this.peek(1).kind === 'ident') {
      this.next();
      last = this.next();
      parts.push(last.text);
    }
    return { parts, span: this.spanFrom(first, last) };
  }

  private parseModule(out: AriadneFile): void {
    const kw = this.next();
    const path = this.parsePath('a module name after \'module\' (like api.security)');
    if (!path) return this.syncTop();
    if (out.module) {
      this.error(kw.span, `a file declares at most one module (the first is '${out.module.path.join('.')}' at line ${out.module.span.line})`);
      return;
    }
    out.module = { path: path.parts, span: path.span };
  }

  private parseImport(out: AriadneFile): void {
    const kw = this.next();
    const path = this.parsePath('a module path after \'import\' (like shared.naming)');
    if (!path) return this.syncTop();
    let names: { name: string; span: Span }[] | undefined;
    if (this.isPunct(this.peek(), '.') && this.isPunct(this.peek(1), '{')) {
      this.next();
      const open = this.next();
      names = [];
      for (;;) {
        const t = this.peek();
        if (this.isPunct(t, '}')) { this.next(); break; }
        if (t.kind === 'ident') {
          this.next();
          names.push({ name: t.text, span: t.span });
          if (this.isPunct(this.peek(), ',')) this.next();
          else if (!this.isPunct(this.peek(), '}')) {
            this.error(this.peek().span, `expected ',' or '}' in the import list, found ${describe(this.peek())}`);
            return this.syncTop();
          }
          continue;
        }
        this.error(t.kind === 'eof' ? open.span : t.span, t.kind === 'eof' ? 'missing } at the end of this import list' : `expected a name in the import list, found ${describe(t)}`);
        return this.syncTop();
      }
    }
    out.imports.push({ path: path.parts, names, span: kw.span, pathSpan: path.span });
  }

  private parseConstraint(out: AriadneFile): void {
    const kw = this.next();
    const name = this.peek();
    if (name.kind !== 'ident') {
      this.error(name.span, `expected the constraint's name after 'constraint', found ${describe(name)}`);
      return this.syncTop();
    }
    this.next();
    const decl: ConstraintDecl = { name: name.text, nameSpan: name.span, span: kw.span, fields: [] };
    out.constraints.push(decl);
    if (!this.isPunct(this.peek(), '{')) {
      if (!this.isTopKeyword() && this.peek().kind !== 'eof') {
        this.error(this.peek().span, `expected '{' after 'constraint ${name.text}', found ${describe(this.peek())}`);
        this.syncTop();
      }
      return;
    }
    const open = this.next();
    const before = this.sink.errors;
    this.parseEntries(decl.fields, open, `constraint ${name.text}`, false, 0);
    if (this.sink.errors > before) decl.broken = true;
  }

  /**
   * `key: value` entries up to the closing `}` (already past the `{`): a constraint's fields or an
   * object's entries. Separators (`,` or `;`) are optional between entries on separate lines.
   */
  private parseEntries(entries: Entry[], open: Token, what: string, inObject: boolean, depth: number): void {
    for (;;) {
      const t = this.peek();
      if (this.isPunct(t, '}')) { this.next(); return; }
      if (t.kind === 'eof' || (!inObject && this.isTopKeyword())) {
        this.error(open.span, `missing } at the end of ${what} (this { is never closed)`);
        return;
      }
      if (this.isPunct(t, ',') || this.isPunct(t, ';')) { this.next(); continue; }
      if (inObject && (this.isPunct(t, ']') || this.isPunct(t, ')'))) {
        this.error(open.span, `missing } at the end of ${what} (found ${describe(t)} first)`);
        return;
      }
      if (!this.atKey(inObject)) {
        if (t.kind === 'ident') this.error(this.peek(1).span, `expected ':' after the field name '${t.text}', found ${describe(this.peek(1))}`);
        else this.error(t.span, `expected a field name (like severity:), found ${describe(t)}`);
        this.syncEntry(inObject);
        continue;
      }
      const key = this.next();
      this.next(); // ':'
      const value = inObject ? this.parseValue(depth + 1) : this.parseFieldValue();
      entries.push({ key: key.kind === 'string' ? String(key.value) : key.text, keySpan: key.span, value });
      const after = this.peek();
      if (this.isPunct(after, ',') || this.isPunct(after, ';')) { this.next(); continue; }
      if (this.isPunct(after, '}') || after.kind === 'eof' || this.atKey(inObject) || (!inObject && this.isTopKeyword())) continue;
      if (value.kind !== 'error') this.error(after.span, `expected ',' or '}' after the value of '${key.kind === 'string' ? String(key.value) : key.text}', found ${describe(after)}`);
      this.syncEntry(inObject);
    }
  }

  /**
   * Skips the rest of a broken entry: to the next separator, field on a new line, or the closing
   * brace. Always moves on unless it stands on a token the caller's loop consumes or ends on.
   */
  private syncEntry(inObject: boolean): void {
    let depth = 0;
    let first = true;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') return;
      if (depth === 0) {
        if (this.isPunct(t, '}')) return;
        if (inObject && (this.isPunct(t, ']') || this.isPunct(t, ')'))) return;
        if (!first) {
          if (this.isPunct(t, ',') || this.isPunct(t, ';')) { this.next(); return; }
          if (t.firstOnLine && (this.atKey(inObject) || (!inObject && this.isTopKeyword()))) return;
        }
      }
      if (t.kind === 'punct' && (t.text === '{' || t.text === '[' || t.text === '(')) depth++;
      else if (t.kind === 'punct' && CLOSERS.has(t.text) && depth > 0) depth--; // a stray closer in a block is skipped
      this.next();
      first = false;
    }
  }

  /**
   * A field's value. The tutorial form `forbid: eval, exec;` (a bare comma list of names, strings
   * or numbers) reads as a list.
   */
  private parseFieldValue(): Value {
    const v = this.parseValue(0);
    if (!(v.kind === 'path' || v.kind === 'string' || v.kind === 'number')) return v;
    if (!this.bareListContinues()) return v;
    const items: Value[] = [v];
    while (this.bareListContinues()) {
      this.next();
      items.push(this.parseValue(0));
    }
    return { kind: 'list', items, span: v.span };
  }

  private bareListContinues(): boolean {
    if (!this.isPunct(this.peek(), ',')) return false;
    const n = this.peek(1);
    if (n.kind === 'eof' || this.isPunct(n, '}') || this.isPunct(n, ',') || this.isPunct(n, ';')) return false;
    if (n.kind === 'ident' && this.isPunct(this.peek(2), ':')) return false;
    if (this.isTopKeyword(1)) return false;
    return n.kind === 'ident' || n.kind === 'string' || n.kind === 'number';
  }

  parseValue(depth: number): Value {
    const t = this.peek();
    if (depth > this.maxDepth) {
      if (!this.depthReported) this.error(t.span, `values nest deeper than ${this.maxDepth} levels`);
      this.depthReported = true;
      this.skipValue();
      return { kind: 'error', span: t.span };
    }
    switch (t.kind) {
      case 'string':
        this.next();
        return { kind: 'string', value: String(t.value), triple: t.triple === true, span: t.span };
      case 'number':
        this.next();
        return { kind: 'number', value: Number(t.value), span: t.span };
      case 'ident':
        return this.parseIdentValue();
      case 'punct':
        if (t.text === '[') return this.parseList(depth);
        if (t.text === '{') {
          this.next();
          const entries: Entry[] = [];
          this.parseEntries(entries, t, 'this object', true, depth);
          return { kind: 'object', entries, span: t.span };
        }
        if (t.text === '.') return this.parseEnum(depth);
        break;
      default:
        break;
    }
    this.error(t.span, `expected a value (a string, number, true/false, [list], {object}, .Variant or name), found ${describe(t)}`);
    return { kind: 'error', span: t.span };
  }

  /** Skips one value (balanced brackets), for values nested too deep. */
  private skipValue(): void {
    let depth = 0;
    do {
      const t = this.next();
      if (t.kind === 'eof') return;
      if (t.kind === 'punct' && (t.text === '{' || t.text === '[' || t.text === '(')) depth++;
      else if (t.kind === 'punct' && CLOSERS.has(t.text)) depth--;
    } while (depth > 0);
  }

  private parseEnum(depth: number): Value {
    const dot = this.next();
    const name = this.peek();
    if (name.kind !== 'ident') {
      this.error(name.span, `expected a variant name after '.', like .Error, found ${describe(name)}`);
      return { kind: 'error', span: dot.span };
    }
    this.next();
    const span = this.spanFrom(dot, name);
    if (!this.isPunct(this.peek(), '(')) return { kind: 'enum', name: name.text, span };
    this.next();
    const arg = this.parseValue(depth + 1);
    if (this.isPunct(this.peek(), ')')) this.next();
    else if (arg.kind !== 'error') {
      this.error(this.peek().span, `expected ')' to close .${name.text}(…), found ${describe(this.peek())}`);
      this.syncTo(')');
    }
    return { kind: 'enum', name: name.text, arg, span };
  }

  /** Skips to just past the next `close` at this depth (or stops before an outer closer). */
  private syncTo(close: string): void {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') return;
      if (depth === 0 && this.isPunct(t, close)) { this.next(); return; }
      if (depth === 0 && t.kind === 'punct' && CLOSERS.has(t.text)) return;
      if (t.kind === 'punct' && (t.text === '{' || t.text === '[' || t.text === '(')) depth++;
      else if (t.kind === 'punct' && CLOSERS.has(t.text)) depth--;
      this.next();
    }
  }

  private parseList(depth: number): Value {
    const open = this.next();
    const items: Value[] = [];
    for (;;) {
      const t = this.peek();
      if (this.isPunct(t, ']')) { this.next(); break; }
      if (t.kind === 'eof' || this.isPunct(t, '}') || this.isPunct(t, ')')) {
        this.error(open.span, `missing ] at the end of this list (found ${describe(t)} first)`);
        break;
      }
      const item = this.parseValue(depth + 1);
      items.push(item);
      if (item.kind === 'error') {
        this.syncTo(',');
        continue;
      }
      if (this.isPunct(this.peek(), ',')) { this.next(); continue; }
      if (this.isPunct(this.peek(), ']')) continue;
      const bad = this.peek();
      if (bad.kind === 'eof' || this.isPunct(bad, '}') || this.isPunct(bad, ')')) continue; // reported above
      if (bad.firstOnLine && (this.atKey(true) || this.isTopKeyword())) {
        // The next field begins: the list was never closed.
        this.error(open.span, `missing ] at the end of this list (found ${describe(bad)} on the next line first)`);
        break;
      }
      this.error(bad.span, `expected ',' or ']' in this list, found ${describe(bad)}`);
      this.syncTo(',');
    }
    return { kind: 'list', items, span: open.span };
  }

  private parseIdentValue(): Value {
    const t = this.peek();
    if (t.text === 'true' || t.text === 'false') {
      this.next();
      return { kind: 'bool', value: t.text === 'true', span: t.span };
    }
    if (t.text === 'null') {
      this.next();
      return { kind: 'null', span: t.span };
    }
    if (t.text === 'query' && this.isPunct(this.peek(1), '(')) return this.parseQuery();
    if (t.text === 'fn' && (this.isPunct(this.peek(1), '(') || (this.peek(1).kind === 'ident' && this.isPunct(this.peek(2), '(')))) return this.parseFn(false);
    if (t.text === 'async' && this.peek(1).kind === 'ident' && this.peek(1).text === 'fn') {
      this.next();
      return this.parseFn(true);
    }
    const path = this.parsePath('a name')!;
    return { kind: 'path', parts: path.parts, span: path.span };
  }

  private parseQuery(): Value {
    const kw = this.next();
    this.next(); // '('
    const lang = this.peek();
    if (lang.kind !== 'ident' || !this.isPunct(this.peek(1), ')')) {
      this.error(lang.span, `expected query(language) { … }, like query(javascript) { (call_expression) @call }`);
      this.syncTo(')');
      return { kind: 'error', span: kw.span };
    }
    this.next();
    this.next();
    const body = this.peek();
    if (body.kind !== 'raw') {
      this.error(body.span, `expected the query in { … } after query(${lang.text}), found ${describe(body)}`);
      return { kind: 'error', span: kw.span };
    }
    this.next();
    return { kind: 'query', language: lang.text, text: String(body.value), span: kw.span };
  }

  /** The source text of tokens [from, to), whitespace runs collapsed to one space. */
  private textOf(from: number, to: number): string {
    if (to <= from) return '';
    return this.text.slice(this.tokens[from]!.span.offset, this.tokens[to - 1]!.end).replace(/\s+/g, ' ').trim();
  }

  /** `fn name(a: T, b: U) -> R`: parameters split at top-level commas, types kept as text. */
  private parseFn(isAsync: boolean): Value {
    const kw = this.next();
    let name: string | undefined;
    if (this.peek().kind === 'ident') name = this.next().text;
    this.next(); // '('
    const params: string[] = [];
    let depth = 0;
    let start = this.i;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof' || t.kind === 'raw') {
        this.error(kw.span, 'missing ) at the end of the parameters of this fn');
        return { kind: 'error', span: kw.span };
      }
      if (t.kind === 'punct' && (t.text === '(' || t.text === '[' || t.text === '{' || t.text === '<')) depth++;
      else if (t.kind === 'punct' && (t.text === ']' || t.text === '}' || (t.text === '>' && depth > 0))) depth--;
      else if (this.isPunct(t, ')')) {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && this.isPunct(t, ',')) {
        params.push(this.textOf(start, this.i));
        start = this.i + 1;
      }
      this.next();
    }
    const last = this.textOf(start, this.i);
    if (last !== '' || params.length > 0) params.push(last);
    this.next(); // ')'
    let returns: string | undefined;
    if (this.isPunct(this.peek(), '->')) {
      this.next();
      const from = this.i;
      let d = 0;
      for (;;) {
        const t = this.peek();
        if (t.kind === 'eof' || t.kind === 'raw') break;
        if (this.i > from && d === 0 && t.firstOnLine) break;
        if (t.kind === 'punct') {
          if (t.text === '(' || t.text === '[' || t.text === '{' || t.text === '<') d++;
          else if (CLOSERS.has(t.text) || (t.text === '>' && d > 0)) {
            if (d === 0) break;
            d--;
          } else if (d === 0 && (t.text === ',' || t.text === ';')) break;
        }
        this.next();
      }
      returns = this.textOf(from, this.i);
      if (returns === '') this.error(this.peek().span, 'expected a return type after ->');
    }
    return { kind: 'fn', name, params, returns, async: isAsync, span: kw.span };
  }

  private parsePub(out: AriadneFile): void {
    const kw = this.next();
    const what = this.peek();
    if (what.kind === 'ident' && what.text === 'const') {
      this.next();
      const name = this.peek();
      if (name.kind !== 'ident') {
        this.error(name.span, `expected a name after 'pub const', found ${describe(name)}`);
        return this.syncTop();
      }
      this.next();
      if (!this.isPunct(this.peek(), '=')) {
        this.error(this.peek().span, `expected '=' after 'pub const ${name.text}', found ${describe(this.peek())}`);
        return this.syncTop();
      }
      this.next();
      const value = this.parseValue(0);
      out.consts.push({ name: name.text, span: name.span, value });
      return;
    }
    if (what.kind === 'ident' && what.text === 'fn') {
      this.next();
      const name = this.peek();
      const fnName = name.kind === 'ident' ? name.text : '(anonymous)';
      // The lexer read the body raw; skip the header up to it.
      while (this.peek().kind !== 'raw' && this.peek().kind !== 'eof' && !this.isTopKeyword()) this.next();
      if (this.peek().kind === 'raw') this.next();
      else this.error(kw.span, `expected the body { … } of 'pub fn ${fnName}'`);
      out.fns.push({ name: fnName, span: kw.span });
      return;
    }
    this.error(what.span, `expected 'const' or 'fn' after 'pub', found ${describe(what)}`);
    this.syncTop();
  }
}
