/**
 * Ariadne's lexer: source text → tokens, with positions. It never throws: a malformed token is
 * reported to the diagnostic sink and lexed as well as it can be, so the parser still sees the rest.
 *
 * Two places read raw text instead of tokens, because what is inside is another language:
 * the body of `query(lang) { … }` (a tree-sitter query) and the body of `pub fn … { … }`. Each
 * becomes one `raw` token holding the text between the braces.
 */
import type { DiagnosticSink, Span } from './diagnostics.ts';

export type TokenKind = 'ident' | 'string' | 'number' | 'raw' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** ident: the name; punct: the symbol (`{`, `->`, or any other single character); others: the source text. */
  text: string;
  /** string: the decoded value; number: the number; raw: the text between the braces. */
  value?: string | number;
  /** A string written with `"""`. */
  triple?: boolean;
  span: Span;
  /** Offset just past the token. */
  end: number;
  /** The first token on its line (recovery resynchronises on these). */
  firstOnLine: boolean;
}

const isIdentStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdentPart = (c: number): boolean => isIdentStart(c) || isDigit(c);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHex = (c: string): boolean => /^[0-9a-fA-F]$/.test(c);

export function tokenize(text: string, file: string, sink: DiagnosticSink): Token[] {
  return new Lexer(text, file, sink).run();
}

class Lexer {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private lastLine = 0;
  private readonly tokens: Token[] = [];
  /** After `pub fn`: the next `{` outside parentheses opens a body read raw. */
  private fnPending = false;
  private fnParens = 0;

  constructor(private readonly text: string, private readonly file: string, private readonly sink: DiagnosticSink) {}

  private span(offset: number, line: number, lineStart: number, endOffset: number): Span {
    // The token's length on its first line (searching only inside the token: a file of one long
    // line must not make every token scan to its end).
    let end = offset;
    while (end < endOffset && this.text.charCodeAt(end) !== 10) end++;
    return { offset, line, column: offset - lineStart + 1, length: Math.max(1, end - offset) };
  }

  private error(offset: number, line: number, lineStart: number, length: number, message: string): void {
    this.sink.add('error', this.file, { offset, line, column: offset - lineStart + 1, length }, message);
  }

  private push(kind: TokenKind, text: string, start: number, line: number, lineStart: number, extra: Partial<Token> = {}): Token {
    const t: Token = {
      kind, text, span: this.span(start, line, lineStart, this.pos), end: this.pos,
      firstOnLine: line !== this.lastLine, ...extra,
    };
    this.lastLine = this.line; // where the token ends: a multi-line string ends on a later line

    this.tokens.push(t);
    return t;
  }

  private newline(at: number): void {
    this.line++;
    this.lineStart = at + 1;
  }

  run(): Token[] {
    const s = this.text;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 10) {
        this.newline(this.pos);
        this.pos++;
        continue;
      }
      if (c === 32 || c === 9 || c === 13 || c === 0xfeff) {
        this.pos++;
        continue;
      }
      const two = s.slice(this.pos, this.pos + 2);
      if (two === '--' || two === '//' || c === 35 /* # */) {
        const nl = s.indexOf('\n', this.pos);
        this.pos = nl < 0 ? s.length : nl;
        continue;
      }
      const start = this.pos;
      const line = this.line;
      const ls = this.lineStart;
      if (isIdentStart(c)) {
        while (this.pos < s.length && isIdentPart(s.charCodeAt(this.pos))) this.pos++;
        const name = s.slice(start, this.pos);
        const prev = this.tokens[this.tokens.length - 1];
        this.push('ident', name, start, line, ls);
        if (name === 'fn' && prev?.kind === 'ident' && prev.text === 'pub') {
          this.fnPending = true;
          this.fnParens = 0;
        }
        continue;
      }
      if (isDigit(c) || (c === 45 /* - */ && isDigit(s.charCodeAt(this.pos + 1)))) {
        this.number(start, line, ls);
        continue;
      }
      if (c === 34 /* " */) {
        if (s.startsWith('"""', this.pos)) this.tripleString(start, line, ls);
        else this.string(start, line, ls);
        continue;
      }
      if (two === '->') {
        this.pos += 2;
        this.push('punct', '->', start, line, ls);
        continue;
      }
      const cp = s.codePointAt(this.pos)!;
      const ch = String.fromCodePoint(cp);
      this.pos += ch.length;
      if (ch === '{' && this.fnPending && this.fnParens === 0) {
        this.fnPending = false;
        this.rawBlock(start, line, ls);
        continue;
      }
      if (this.fnPending) {
        if (ch === '(') this.fnParens++;
        else if (ch === ')') this.fnParens--;
      }
      this.push('punct', ch, start, line, ls);
      if (ch === ')' && this.queryHeadEnds()) {
        // query(lang) { … }: skip to the `{` (whitespace only) and read the block raw.
        let p = this.pos;
        while (p < s.length && /\s/.test(s[p]!)) p++;
        if (s[p] === '{') {
          for (let i = this.pos; i < p; i++) if (s[i] === '\n') this.newline(i);
          const bl = this.line;
          const bls = this.lineStart;
          this.pos = p + 1;
          this.rawBlock(p, bl, bls);
        }
      }
    }
    this.push('eof', '', this.pos, this.line, this.lineStart);
    return this.tokens;
  }

  /** The last four tokens are `query ( ident )`. */
  private queryHeadEnds(): boolean {
    const t = this.tokens;
    const n = t.length;
    return n >= 4 && t[n - 4]!.kind === 'ident' && t[n - 4]!.text === 'query' && t[n - 3]!.text === '(' &&
      t[n - 2]!.kind === 'ident' && t[n - 1]!.text === ')';
  }

  private number(start: number, line: number, ls: number): void {
    const s = this.text;
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(s.slice(this.pos, this.pos + 400))!;
    this.pos += m[0].length;
    const numText = m[0];
    if (this.pos < s.length && isIdentPart(s.charCodeAt(this.pos))) {
      const sufStart = this.pos;
      while (this.pos < s.length && isIdentPart(s.charCodeAt(this.pos))) this.pos++;
      this.error(sufStart, line, ls, this.pos - sufStart, `unexpected '${s.slice(sufStart, this.pos)}' after the number ${numText} (numbers have no units in Ariadne)`);
    }
    const value = Number(numText);
    if (!Number.isFinite(value)) this.error(start, line, ls, numText.length, `the number ${numText} is out of range`);
    this.push('number', s.slice(start, this.pos), start, line, ls, { value: Number.isFinite(value) ? value : 0 });
  }

  /** `"…"` with escapes; a line break before the closing quote ends it with an error. */
  private string(start: number, line: number, ls: number): void {
    const s = this.text;
    this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= s.length || s[this.pos] === '\n') {
        this.error(start, line, ls, this.pos - start, 'unterminated string: a "…" string ends on its line (use """…""" for text over several lines)');
        break;
      }
      const ch = s[this.pos]!;
      if (ch === '"') {
        this.pos++;
        break;
      }
      if (ch !== '\\') {
        out += ch;
        this.pos++;
        continue;
      }
      const escAt = this.pos;
      const e = s[this.pos + 1];
      this.pos += 2;
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case '0': out += '\0'; break;
        case '\\': out += '\\'; break;
        case '"': out += '"'; break;
        case '\'': out += '\''; break;
        case '/': out += '/'; break;
        case 'u': {
          let hex = '';
          if (s[this.pos] === '{') {
            const close = s.indexOf('}', this.pos);
            hex = close > this.pos && close - this.pos <= 7 ? s.slice(this.pos + 1, close) : '';
            if (hex !== '' && [...hex].every(isHex)) this.pos = close + 1;
            else hex = '';
          } else if ([...s.slice(this.pos, this.pos + 4)].every(isHex) && this.pos + 4 <= s.length) {
            hex = s.slice(this.pos, this.pos + 4);
            this.pos += 4;
          }
          const cp = hex === '' ? -1 : parseInt(hex, 16);
          if (cp < 0 || cp > 0x10ffff) {
            this.error(escAt, line, ls, 2, 'bad \\u escape: write \\u{1F600} (1 to 6 hex digits) or \\u00e9 (4 hex digits)');
          } else {
            out += String.fromCodePoint(cp);
          }
          break;
        }
        default:
          if (e === undefined || e === '\n') {
            this.pos = escAt + 1;
            this.error(escAt, line, ls, 1, 'a backslash ends the line inside a string');
          } else {
            this.error(escAt, line, ls, 2, `unknown escape \\${e} (known: \\n \\t \\r \\0 \\\\ \\" \\u{…}; in """…""" strings backslashes are plain text)`);
            out += e;
          }
      }
    }
    this.push('string', s.slice(start, this.pos), start, line, ls, { value: out });
  }

  /**
   * `"""…"""`: raw text, no escapes. When the text starts with a line break and the closing quotes
   * stand on their own line, it is a block: the first line break is dropped and the closing line's
   * indentation is removed from every line (docs/ariadne.md, "Strings").
   */
  private tripleString(start: number, line: number, ls: number): void {
    const s = this.text;
    const close = s.indexOf('"""', this.pos + 3);
    if (close < 0) {
      this.error(start, line, ls, 3, 'unterminated """ string: no closing """');
      const raw = s.slice(this.pos + 3);
      for (let i = this.pos; i < s.length; i++) if (s[i] === '\n') this.newline(i);
      this.pos = s.length;
      this.push('string', s.slice(start), start, line, ls, { value: raw, triple: true });
      return;
    }
    const raw = s.slice(this.pos + 3, close);
    const rawStart = this.pos + 3;
    for (let i = this.pos; i < close; i++) if (s[i] === '\n') this.newline(i);
    this.pos = close + 3;
    this.push('string', s.slice(start, this.pos), start, line, ls, { value: this.dedent(raw, rawStart, line), triple: true });
  }

  private dedent(raw: string, rawStart: number, line: number): string {
    const text = raw.replace(/\r\n/g, '\n');
    if (!text.startsWith('\n')) return text;
    const lines = text.slice(1).split('\n');
    const last = lines[lines.length - 1]!;
    if (!/^[ \t]*$/.test(last)) return text.slice(1);
    lines.pop();
    const indent = last;
    const out: string[] = [];
    // Line numbers of the content: the opening line is `line`, the first content line line + 1.
    let offset = rawStart + (raw.startsWith('\r\n') ? 2 : 1);
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.startsWith(indent)) out.push(l.slice(indent.length));
      else if (/^[ \t]*$/.test(l)) out.push('');
      else {
        const lineNo = line + 1 + i;
        this.sink.add('error', this.file, { offset, line: lineNo, column: 1, length: 1 },
          `this line of a """ block is indented less than its closing """ (${indent.length} ${indent.includes('\t') ? 'characters' : 'spaces'})`);
        out.push(l.trimStart());
      }
      offset += l.length + 1;
    }
    return out.join('\n');
  }

  /** Text up to the brace matching the `{` at `open` (strings skipped), as one raw token. */
  private rawBlock(open: number, line: number, ls: number): void {
    const s = this.text;
    let depth = 1;
    let p = open + 1;
    while (p < s.length && depth > 0) {
      const ch = s[p]!;
      if (ch === '\n') this.newline(p);
      if ((ch === '-' && s[p + 1] === '-') || (ch === '/' && s[p + 1] === '/')) {
        // A line comment (in a `pub fn` body) may hold braces; `#` is not one here (`#eq?` in queries).
        const nl = s.indexOf('\n', p);
        p = nl < 0 ? s.length : nl;
        continue;
      }
      if (ch === '{') depth++;
      else if (ch === '}') depth--;
      else if (ch === '"') {
        if (s.startsWith('"""', p)) {
          const e = s.indexOf('"""', p + 3);
          const stop = e < 0 ? s.length : e + 3;
          for (let i = p; i < stop; i++) if (s[i] === '\n') this.newline(i);
          p = stop;
          continue;
        }
        p++;
        while (p < s.length && s[p] !== '"' && s[p] !== '\n') p += s[p] === '\\' ? 2 : 1;
      }
      p++;
    }
    if (depth > 0) {
      this.error(open, line, ls, 1, 'unterminated block: no } matches this {');
      p = s.length;
    }
    this.pos = p;
    const inner = s.slice(open + 1, depth > 0 ? p : p - 1);
    this.push('raw', s.slice(open, p), open, line, ls, { value: inner });
  }
}
