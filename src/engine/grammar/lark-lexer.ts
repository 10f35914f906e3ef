import { EngineError, type SourcePosition } from '../errors.ts';

/**
 * Splits Lark-dialect text into tokens. Newlines are tokens (a definition ends at a newline unless
 * the next line starts with `|`); spaces, tabs and comments (`//`, `#`) are skipped. The JSON
 * object after `%json`, `%llguidance` and `%regex` is read here (balanced braces, JSON strings
 * respected) so the parser gets the parsed value.
 */
export type LarkToken =
  | { t: 'name'; v: string; pos: SourcePosition }
  | { t: 'string'; v: string; ci: boolean; pos: SourcePosition }
  | { t: 'regex'; v: string; flags: string; pos: SourcePosition }
  | { t: 'number'; v: string; pos: SourcePosition }
  | { t: 'special'; v: string; pos: SourcePosition }
  | { t: 'directive'; v: string; json?: unknown; pos: SourcePosition }
  | { t: 'grammarRef'; v: string; pos: SourcePosition }
  | { t: 'punct'; v: string; pos: SourcePosition }
  | { t: 'nl'; pos: SourcePosition }
  | { t: 'eof'; pos: SourcePosition };

const JSON_DIRECTIVES = new Set(['json', 'llguidance', 'regex']);
const PUNCT2 = ['..', '->'];
const PUNCT1 = ':|()[]{},.~&?*+=!';

function isNameStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}
function isNameChar(c: string): boolean {
  return isNameStart(c) || (c >= '0' && c <= '9');
}
function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

export function tokenizeLark(text: string): LarkToken[] {
  const out: LarkToken[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = text.length;
  const posAt = (k: number): SourcePosition => ({ line, column: k - lineStart + 1 });
  const fail = (msg: string, k: number): never => {
    throw new EngineError('GRAMMAR', msg, posAt(k));
  };

  while (i < n) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c === '\n') {
      const last = out[out.length - 1];
      if (!last || last.t !== 'nl') out.push({ t: 'nl', pos: posAt(i) });
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    const start = i;
    const pos = posAt(i);
    if (c === '"') {
      const [value, end] = readString(text, i, fail);
      i = end;
      let ci = false;
      if (text[i] === 'i' && !isNameChar(text[i + 1] ?? '')) {
        ci = true;
        i++;
      }
      out.push({ t: 'string', v: value, ci, pos });
      continue;
    }
    if (c === '/') {
      // A regex literal: up to the next unescaped '/', then flag letters.
      let j = i + 1;
      let src = '';
      for (;;) {
        if (j >= n || text[j] === '\n') fail('unterminated regex literal (missing closing /)', start);
        const d = text[j]!;
        if (d === '\\') {
          const e = text[j + 1];
          if (e === undefined || e === '\n') fail('unterminated regex literal (missing closing /)', start);
          // `\/` is how a slash is written inside /…/; the regex itself just sees '/'.
          src += e === '/' ? '/' : d + e;
          j += 2;
          continue;
        }
        // Like Lark and llguidance, a '/' ends the literal even inside [ ]; write it as \/.
        if (d === '/') break;
        src += d;
        j++;
      }
      j++;
      let flags = '';
      while (j < n && /[a-zA-Z]/.test(text[j]!)) flags += text[j++];
      if (src.length === 0) fail('empty regex literal //', start);
      out.push({ t: 'regex', v: src, flags, pos });
      i = j;
      continue;
    }
    if (c === '<') {
      let j = i + 1;
      while (j < n && text[j] !== '>' && text[j] !== '\n') j++;
      if (j >= n || text[j] !== '>') fail('unterminated special token (missing >)', start);
      out.push({ t: 'special', v: text.slice(i, j + 1), pos });
      i = j + 1;
      continue;
    }
    if (c === '%') {
      let j = i + 1;
      while (j < n && isNameChar(text[j]!)) j++;
      const name = text.slice(i + 1, j);
      if (!name) fail("expected a directive name after '%'", start);
      const tok: LarkToken = { t: 'directive', v: name, pos };
      i = j;
      if (JSON_DIRECTIVES.has(name)) {
        // Skip blanks (newlines included) to the opening brace.
        while (i < n && /[ \t\r\n]/.test(text[i]!)) {
          if (text[i] === '\n') {
            line++;
            lineStart = i + 1;
          }
          i++;
        }
        if (text[i] !== '{') throw new EngineError('GRAMMAR', `%${name} must be followed by a JSON object { … }`, pos);
        const jsonStart = i;
        const jsonPos = posAt(i);
        let depth = 0;
        for (;;) {
          if (i >= n) throw new EngineError('GRAMMAR', `unterminated JSON object after %${name}`, jsonPos);
          const d = text[i]!;
          if (d === '"') {
            i++;
            while (i < n && text[i] !== '"') {
              if (text[i] === '\\') i++;
              else if (text[i] === '\n') fail('unterminated string in JSON object', i);
              i++;
            }
            i++;
            continue;
          }
          if (d === '\n') {
            line++;
            lineStart = i + 1;
          }
          if (d === '{' || d === '[') depth++;
          else if (d === '}' || d === ']') {
            depth--;
            if (depth === 0) {
              i++;
              break;
            }
          }
          i++;
        }
        try {
          tok.json = JSON.parse(text.slice(jsonStart, i)) as unknown;
        } catch (e) {
          throw new EngineError('GRAMMAR', `invalid JSON after %${name}: ${(e as Error).message}`, jsonPos);
        }
      }
      out.push(tok);
      continue;
    }
    if (c === '@') {
      let j = i + 1;
      while (j < n && isNameChar(text[j]!)) j++;
      out.push({ t: 'grammarRef', v: text.slice(i, j), pos });
      i = j;
      continue;
    }
    if (isNameStart(c)) {
      let j = i + 1;
      for (;;) {
        while (j < n && isNameChar(text[j]!)) j++;
        // `-` may join name parts (`foo-bar`), but not start an arrow (`foo->x`).
        if (text[j] === '-' && j + 1 < n && isNameChar(text[j + 1]!)) {
          j++;
          continue;
        }
        break;
      }
      out.push({ t: 'name', v: text.slice(i, j), pos });
      i = j;
      continue;
    }
    if (isDigit(c)) {
      let j = i;
      while (j < n && isDigit(text[j]!)) j++;
      if (text[j] === '.' && isDigit(text[j + 1] ?? '')) {
        j++;
        while (j < n && isDigit(text[j]!)) j++;
      }
      out.push({ t: 'number', v: text.slice(i, j), pos });
      i = j;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (PUNCT2.includes(two)) {
      out.push({ t: 'punct', v: two, pos });
      i += 2;
      continue;
    }
    if (c === "'") fail("single-quoted strings are not supported; use double quotes", start);
    if (PUNCT1.includes(c)) {
      out.push({ t: 'punct', v: c, pos });
      i++;
      continue;
    }
    fail(`unexpected character ${JSON.stringify(c)}`, start);
  }
  out.push({ t: 'eof', pos: posAt(i) });
  return out;
}

/**
 * Read a double-quoted string starting at `i` (the quote). Escapes: \" \\ \/ \' \n \r \t \b \f
 * \v \0 \xHH \uHHHH (surrogate pairs combine) \u{H…} \UHHHHHHHH. Returns [value, index after].
 */
export function readString(text: string, i: number, fail: (msg: string, k: number) => never): [string, number] {
  const start = i;
  let j = i + 1;
  let value = '';
  const n = text.length;
  for (;;) {
    if (j >= n || text[j] === '\n') fail('unterminated string literal', start);
    const d = text[j]!;
    if (d === '"') return [value, j + 1];
    if (d !== '\\') {
      value += d;
      j++;
      continue;
    }
    const e = text[j + 1];
    const esc = j;
    j += 2;
    switch (e) {
      case '"': value += '"'; break;
      case '\\': value += '\\'; break;
      case '/': value += '/'; break;
      case "'": value += "'"; break;
      case 'n': value += '\n'; break;
      case 'r': value += '\r'; break;
      case 't': value += '\t'; break;
      case 'b': value += '\b'; break;
      case 'f': value += '\f'; break;
      case 'v': value += '\v'; break;
      case '0': value += '\0'; break;
      case 'x': {
        const h = text.slice(j, j + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(h)) fail('\\x must be followed by two hex digits', esc);
        value += String.fromCodePoint(parseInt(h, 16));
        j += 2;
        break;
      }
      case 'u': {
        if (text[j] === '{') {
          const close = text.indexOf('}', j);
          const h = close < 0 ? '' : text.slice(j + 1, close);
          if (!/^[0-9a-fA-F]{1,6}$/.test(h) || parseInt(h, 16) > 0x10ffff) fail('\\u{…} must hold 1-6 hex digits of a code point', esc);
          value += String.fromCodePoint(parseInt(h, 16));
          j = close + 1;
          break;
        }
        const h = text.slice(j, j + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(h)) fail('\\u must be followed by four hex digits', esc);
        value += String.fromCharCode(parseInt(h, 16));
        j += 4;
        break;
      }
      case 'U': {
        const h = text.slice(j, j + 8);
        if (!/^[0-9a-fA-F]{8}$/.test(h) || parseInt(h, 16) > 0x10ffff) fail('\\U must be followed by eight hex digits of a code point', esc);
        value += String.fromCodePoint(parseInt(h, 16));
        j += 8;
        break;
      }
      default:
        fail(`unknown escape \\${e ?? ''} in string literal`, esc);
    }
  }
}
