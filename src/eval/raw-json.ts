/**
 * A JSON reader that keeps each number's source text, and a writer that serializes the way
 * Python's `json.dumps(data, indent=None, ensure_ascii=False)` does. MaskBench's instances were
 * produced by Python, so keeping number text (`1.0`, `1e-05`, `1e+16`) reproduces them exactly,
 * which going through JS numbers would not.
 */
export type RawJson =
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'number'; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'array'; items: RawJson[] }
  | { kind: 'object'; entries: [string, RawJson][] };

export class RawJsonError extends Error {}

export function parseRawJson(text: string): RawJson {
  let i = 0;
  const ws = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const fail = (what: string): never => {
    throw new RawJsonError(`invalid JSON at offset ${i}: ${what}`);
  };
  const str = (): string => {
    // text[i] === '"'
    const end = scanString(text, i);
    if (end < 0) fail('unterminated string');
    const s = JSON.parse(text.slice(i, end)) as string;
    i = end;
    return s;
  };
  const value = (depth: number): RawJson => {
    if (depth > 10_000) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: [string, RawJson][] = [];
      ws();
      if (text[i] === '}') { i++; return { kind: 'object', entries }; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a property name');
        const k = str();
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        entries.push([k, value(depth + 1)]);
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return { kind: 'object', entries }; }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const items: RawJson[] = [];
      ws();
      if (text[i] === ']') { i++; return { kind: 'array', items }; }
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return { kind: 'array', items }; }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return { kind: 'string', value: str() };
    if (text.startsWith('true', i)) { i += 4; return { kind: 'bool', value: true }; }
    if (text.startsWith('false', i)) { i += 5; return { kind: 'bool', value: false }; }
    if (text.startsWith('null', i)) { i += 4; return { kind: 'null' }; }
    // Python also writes NaN / Infinity / -Infinity; keep them as number text.
    const m = /^(?:-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|NaN|-?Infinity)/.exec(text.slice(i, i + 400));
    if (!m) fail('unexpected character');
    i += m![0].length;
    return { kind: 'number', text: m![0] };
  };
  const v = value(0);
  ws();
  if (i !== text.length) fail('trailing characters');
  return v;
}

/** Index just past the closing quote of the string starting at `start`, or -1. */
function scanString(text: string, start: number): number {
  for (let j = start + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x5c) j++;
    else if (c === 0x22) return j + 1;
  }
  return -1;
}

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/** Python `json.dumps(s, ensure_ascii=False)` for a string. */
export function pythonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const e = ESCAPES[ch];
    if (e) out += e;
    else if (ch < ' ') out += `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/**
 * Python's text for a JSON number: integers keep their digits (Python ints are exact); anything
 * with a fraction or exponent is a float, printed as `repr(float)` does: the shortest round-trip
 * digits, fixed notation when the exponent is in [-4, 16), else `d.ddde±XX`.
 */
export function pythonNumber(text: string): string {
  if (!/[.eE]/.test(text) || text === 'NaN' || text.endsWith('Infinity')) return text;
  const x = Number(text);
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : x < 0 ? '-Infinity' : 'NaN';
  if (Object.is(x, -0)) return '-0.0';
  const [mant, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let out: string;
  if (exp >= -4 && exp < 16) {
    if (exp < 0) out = `0.${'0'.repeat(-exp - 1)}${digits}`;
    else if (digits.length > exp + 1) out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
    else out = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  } else {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    out = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return neg ? `-${out}` : out;
}

/** Python `json.dumps(data, indent=None, ensure_ascii=False)`. */
export function pythonDumps(v: RawJson): string {
  switch (v.kind) {
    case 'null': return 'null';
    case 'bool': return v.value ? 'true' : 'false';
    case 'number': return pythonNumber(v.text);
    case 'string': return pythonString(v.value);
    case 'array': return `[${v.items.map(pythonDumps).join(', ')}]`;
    case 'object': return `{${v.entries.map(([k, x]) => `${pythonString(k)}: ${pythonDumps(x)}`).join(', ')}}`;
  }
}

/** Property `key` of an object, or undefined. */
export function rawGet(v: RawJson | undefined, key: string): RawJson | undefined {
  if (!v || v.kind !== 'object') return undefined;
  for (const [k, x] of v.entries) if (k === key) return x;
  return undefined;
}

/** Converts to a plain JS value (numbers through Number; used where text does not matter). */
export function rawToValue(v: RawJson): unknown {
  switch (v.kind) {
    case 'null': return null;
    case 'bool': return v.value;
    case 'number': return Number(v.text);
    case 'string': return v.value;
    case 'array': return v.items.map(rawToValue);
    case 'object': return Object.fromEntries(v.entries.map(([k, x]) => [k, rawToValue(x)]));
  }
}
