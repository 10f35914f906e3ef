/**
 * Typed reading of parsed values: each reader checks one value against the type a field expects
 * and reports a diagnostic at the value when it does not fit (and returns undefined). Also the
 * builders the printer uses to make values in memory.
 */
import { NO_SPAN, type Entry, type Value } from './ast.ts';
import { closest, type DiagnosticSink, type Span } from './diagnostics.ts';
import { lookupVariant, variantList, type EnumTable } from './enums.ts';

export function describeValue(v: Value): string {
  switch (v.kind) {
    case 'string': return 'a string';
    case 'number': return `the number ${v.value}`;
    case 'bool': return v.value ? 'true' : 'false';
    case 'null': return 'null';
    case 'list': return 'a list';
    case 'object': return 'an object';
    case 'enum': return `.${v.name}`;
    case 'path': return `the name ${v.parts.join('.')}`;
    case 'query': return 'a query';
    case 'fn': return 'a fn';
    case 'error': return 'an unreadable value';
  }
}

/** Which keys an object may have, and whether each is required. */
export type KeySpec = Readonly<Record<string, boolean>>;

/** An object's entries by key, once its keys were checked. */
export interface Fields {
  get(key: string): Value | undefined;
  /** Every required key is present. */
  ok: boolean;
  span: Span;
}

export class Reader {
  constructor(readonly sink: DiagnosticSink, readonly file: string) {}

  error(at: Span, message: string): void {
    this.sink.add('error', this.file, at, message);
  }

  warn(at: Span, message: string): void {
    this.sink.add('warning', this.file, at, message);
  }

  /** Reports a value of the wrong type (an unreadable value was reported already). */
  private wrong(v: Value, what: string, expected: string): undefined {
    if (v.kind !== 'error') this.error(v.span, `${what} must be ${expected}, not ${describeValue(v)}`);
    return undefined;
  }

  string(v: Value, what: string): string | undefined {
    if (v.kind === 'string') return v.value;
    return this.wrong(v, what, 'a string (in quotes)');
  }

  /** A name: a string, or a bare identifier or dotted path (`eval`, `os.system`). */
  name(v: Value, what: string): string | undefined {
    if (v.kind === 'string') return v.value;
    if (v.kind === 'path') return v.parts.join('.');
    return this.wrong(v, what, 'a name (a string, or a bare name like eval)');
  }

  /** A list of names; a single name is a list of one. */
  names(v: Value, what: string, nonEmpty: boolean): string[] | undefined {
    const items = v.kind === 'list' ? v.items : v.kind === 'string' || v.kind === 'path' ? [v] : undefined;
    if (!items) return this.wrong(v, what, 'a list of names, like ["eval", "exec"]');
    const out: string[] = [];
    let ok = true;
    for (const it of items) {
      const n = this.name(it, `each item of ${what}`);
      if (n === undefined) ok = false;
      else out.push(n);
    }
    if (!ok) return undefined;
    if (nonEmpty && out.length === 0) {
      this.error(v.span, `${what} is empty: name at least one`);
      return undefined;
    }
    return out;
  }

  number(v: Value, what: string, min = -Infinity, max = Infinity): number | undefined {
    if (v.kind !== 'number') return this.wrong(v, what, 'a number');
    if (v.value < min || v.value > max) {
      const range = max === Infinity ? `at least ${min}` : `from ${min} to ${max}`;
      this.error(v.span, `${what} must be ${range}, not ${v.value}`);
      return undefined;
    }
    return v.value;
  }

  int(v: Value, what: string, min = 0): number | undefined {
    const n = this.number(v, what, min);
    if (n === undefined) return undefined;
    if (!Number.isInteger(n)) {
      this.error(v.span, `${what} must be a whole number, not ${n}`);
      return undefined;
    }
    return n;
  }

  bool(v: Value, what: string): boolean | undefined {
    if (v.kind === 'bool') return v.value;
    return this.wrong(v, what, 'true or false');
  }

  /** `.Variant`, or the same in a string (`"snake_case"`). */
  enumOf<T extends string>(v: Value, table: EnumTable<T>, what: string): T | undefined {
    const name = v.kind === 'enum' && v.arg === undefined ? v.name : v.kind === 'string' ? v.value : undefined;
    if (name === undefined) return this.wrong(v, what, `${table.what}: one of ${variantList(table)}`);
    const value = lookupVariant(table, name);
    if (value === undefined) {
      const guess = closest(name, table.variants.map(([x]) => x));
      this.error(v.span, `${what}: unknown ${table.what.replace(/^an? /, '')} ${v.kind === 'enum' ? '.' : ''}${name}${guess ? ` (did you mean .${guess}?)` : ''}; known: ${variantList(table)}`);
    }
    return value;
  }

  list<T>(v: Value, what: string, item: (x: Value) => T | undefined): T[] | undefined {
    if (v.kind !== 'list') return this.wrong(v, what, 'a list [ … ]');
    const out: T[] = [];
    let ok = true;
    for (const it of v.items) {
      const x = item(it);
      if (x === undefined) ok = false;
      else out.push(x);
    }
    return ok ? out : undefined;
  }

  /** An object with known keys: unknown and repeated keys are errors, missing required ones too. */
  object(v: Value, what: string, keys: KeySpec): Fields | undefined {
    if (v.kind !== 'object') {
      const req = Object.entries(keys).filter(([, r]) => r).map(([k]) => `${k}: …`);
      return this.wrong(v, what, `an object { ${req.length ? req.join(', ') : Object.keys(keys).map((k) => `${k}: …`).join(', ')} }`);
    }
    return this.fields(v.entries, v.span, what, keys);
  }

  fields(entries: readonly Entry[], span: Span, what: string, keys: KeySpec): Fields {
    const seen = new Map<string, Value>();
    const known = Object.keys(keys);
    for (const e of entries) {
      if (!Object.prototype.hasOwnProperty.call(keys, e.key)) {
        const guess = closest(e.key, known);
        this.error(e.keySpan, `${what} has no field '${e.key}'${guess ? ` (did you mean '${guess}'?)` : ''}; its fields: ${known.join(', ')}`);
        continue;
      }
      if (seen.has(e.key)) {
        this.error(e.keySpan, `'${e.key}' is given twice in ${what}`);
        continue;
      }
      seen.set(e.key, e.value);
    }
    let ok = true;
    for (const [k, required] of Object.entries(keys)) {
      if (required && !seen.has(k)) {
        this.error(span, `${what} needs '${k}'`);
        ok = false;
      }
    }
    return { get: (k) => seen.get(k), ok, span };
  }

  /** A JSON value written in Ariadne syntax (objects, lists, strings, numbers, true/false, null). */
  json(v: Value, what: string): unknown {
    switch (v.kind) {
      case 'string': case 'number': case 'bool': return v.value;
      case 'null': return null;
      case 'list': {
        const out: unknown[] = [];
        for (const it of v.items) {
          const x = this.json(it, what);
          if (x === undefined) return undefined;
          out.push(x);
        }
        return out;
      }
      case 'object': {
        const out: Record<string, unknown> = {};
        const seen = new Set<string>();
        for (const e of v.entries) {
          if (seen.has(e.key)) {
            this.error(e.keySpan, `'${e.key}' is given twice in ${what}`);
            return undefined;
          }
          seen.add(e.key);
          const x = this.json(e.value, what);
          if (x === undefined) return undefined;
          // defineProperty: a key named "__proto__" is data here, as in JSON.parse.
          Object.defineProperty(out, e.key, { value: x, enumerable: true, writable: true, configurable: true });
        }
        return out;
      }
      default:
        return this.wrong(v, `${what} (JSON)`, 'JSON: a string, number, true/false, null, list or object');
    }
  }
}

// Builders for values made in memory (the printer).
export const str = (value: string): Value => ({ kind: 'string', value, triple: false, span: NO_SPAN });
export const num = (value: number): Value => ({ kind: 'number', value, span: NO_SPAN });
export const bool = (value: boolean): Value => ({ kind: 'bool', value, span: NO_SPAN });
export const variant = (name: string): Value => ({ kind: 'enum', name, span: NO_SPAN });
export const list = (items: Value[]): Value => ({ kind: 'list', items, span: NO_SPAN });
/** An object from [key, value] pairs; pairs whose value is undefined are left out. */
export const obj = (pairs: readonly (readonly [string, Value | undefined])[]): Value => ({
  kind: 'object',
  entries: pairs.filter((p): p is readonly [string, Value] => p[1] !== undefined).map(([key, value]) => ({ key, keySpan: NO_SPAN, value })),
  span: NO_SPAN,
});

/** Any JSON value as an Ariadne value. */
export function fromJson(x: unknown): Value {
  if (x === null) return { kind: 'null', span: NO_SPAN };
  if (typeof x === 'string') return str(x);
  if (typeof x === 'number') return num(x);
  if (typeof x === 'boolean') return bool(x);
  if (Array.isArray(x)) return list(x.map(fromJson));
  if (typeof x === 'object') return obj(Object.entries(x as Record<string, unknown>).map(([k, v]) => [k, fromJson(v)] as const));
  throw new Error(`not a JSON value: ${typeof x}`);
}
