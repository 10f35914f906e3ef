/**
 * A seeded stream of synthetic tool-call schemas, each with one document it allows: the workload
 * the engine warms up on (warm-up.ts). Property names and string values are pseudo-words made of
 * syllables, so nothing here spells a name a real schema (or a benchmark's) uses: what the warm-up
 * leaves behind is compiled code and the lexer states every JSON schema has (strings, numbers,
 * punctuation, whitespace), not answers to particular schemas.
 */
import { seededRandom } from '../grammar/sample.ts';

export interface ToolSchemaCase {
  schema: Record<string, unknown>;
  /** A document the schema allows, serialized as MaskBench's instances are (`", "`, `": "`). */
  document: string;
}

const CONSONANTS = 'bdfgklmnprstvz';
const VOWELS = 'aeiou';

class Draw {
  private readonly rand: () => number;
  constructor(seed: number) {
    this.rand = seededRandom(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.rand() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)]!;
  }
  word(): string {
    let w = '';
    for (let i = this.int(2, 4); i > 0; i--) w += this.pick([...CONSONANTS]) + this.pick([...VOWELS]);
    return w;
  }
  /** A property name: one to three words, in snake_case or camelCase. */
  name(): string {
    const words = Array.from({ length: this.int(1, 3) }, () => this.word());
    if (this.chance(0.5)) return words.join('_');
    return words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
  }
  sentence(max: number): string {
    const words = Array.from({ length: this.int(1, max) }, () => this.word());
    return words.join(' ');
  }
}

interface Value {
  schema: Record<string, unknown>;
  value: unknown;
}

/** A string of a standard format (the same lexeme in every schema that names it), with a value of it. */
function formatValue(d: Draw): Value {
  const two = (lo: number, hi: number): string => String(d.int(lo, hi)).padStart(2, '0');
  const date = `20${two(10, 29)}-${two(1, 12)}-${two(1, 28)}`;
  const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[d.int(0, 15)]).join('');
  const host = `${d.word()}.${d.pick(['com', 'org', 'net', 'io'])}`;
  const [format, value] = d.pick([
    ['date', date],
    ['date-time', `${date}T${two(0, 23)}:${two(0, 59)}:${two(0, 59)}Z`],
    ['time', `${two(0, 23)}:${two(0, 59)}:${two(0, 59)}Z`],
    ['email', `${d.word()}.${d.word()}@${host}`],
    ['uri', `https://${host}/${d.word()}/${d.word()}`],
    ['hostname', `${d.word()}.${host}`],
    ['ipv4', `${d.int(1, 223)}.${d.int(0, 255)}.${d.int(0, 255)}.${d.int(1, 254)}`],
    ['uuid', `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`],
  ] as const);
  return { schema: { type: 'string', format }, value };
}

function stringValue(d: Draw): Value {
  switch (d.int(0, 4)) {
    case 0: {
      const options = Array.from({ length: d.int(2, 6) }, () => d.word());
      return { schema: { type: 'string', enum: [...new Set(options)] }, value: options[0] };
    }
    case 1:
      return formatValue(d);
    case 2: {
      // Length limits as schemas write them: a short one just above the text, or a round one
      // (64 … 1,000) far above it.
      const text = d.sentence(d.chance(0.5) ? 4 : 12);
      const round = d.pick([64, 100, 128, 150, 200, 255, 256, 500, 1000]);
      return { schema: { type: 'string', maxLength: d.chance(0.5) ? Math.max(text.length, 40) : Math.max(text.length, round) }, value: text };
    }
    default:
      return { schema: { type: 'string', description: d.sentence(6) }, value: d.sentence(8) };
  }
}

/** A number as its text: Python's json.dumps writes floats as repr does (`10.0`, `1e-07`). */
class NumberText {
  constructor(readonly text: string) {}
}

/** An integer of the sizes and signs tool arguments have: 0, one digit, a few, many, negative. */
function integerValue(d: Draw): number {
  switch (d.int(0, 4)) {
    case 0:
      return 0;
    case 1:
      return d.int(1, 9);
    case 2:
      return d.int(10, 999);
    case 3:
      return d.int(1000, 99999);
    default:
      return -d.int(1, 500);
  }
}

/** A float in the forms json.dumps writes: two decimals, integral (`10.0`), an exponent (`1e-07`, `2.5e+20`). */
function floatValue(d: Draw): NumberText {
  switch (d.int(0, 3)) {
    case 0:
      return new NumberText(`${integerValue(d)}.0`);
    case 1:
      return new NumberText(`${d.int(1, 9)}${d.chance(0.5) ? `.${d.int(1, 9)}` : ''}e${d.chance(0.7) ? '-' : '+'}${String(d.int(5, 20)).padStart(2, '0')}`);
    default:
      return new NumberText(String(Math.round(d.int(-5000, 5000)) / 100));
  }
}

function scalar(d: Draw): Value {
  switch (d.int(0, 6)) {
    case 0: {
      const lo = d.int(0, 10);
      return { schema: { type: 'integer', minimum: lo, maximum: lo + d.int(5, 1000) }, value: lo + d.int(0, 5) };
    }
    case 1:
      return { schema: { type: 'number' }, value: d.chance(0.3) ? integerValue(d) : floatValue(d) };
    case 2:
      return { schema: { type: 'integer' }, value: integerValue(d) };
    case 3:
      return { schema: { type: 'boolean' }, value: d.chance(0.5) };
    default:
      return stringValue(d);
  }
}

/** A property with no schema (`{}`: any JSON value), as tool schemas write untyped parameters. */
function anyValue(d: Draw, depth: number): Value {
  switch (d.int(0, 4)) {
    case 0:
      return { schema: {}, value: null };
    case 1:
      return { schema: {}, value: depth < 2 ? object(d, depth + 1, d.int(1, 3)).value : d.word() };
    case 2:
      return { schema: {}, value: Array.from({ length: d.int(1, 3) }, () => integerValue(d)) };
    default:
      return { schema: {}, value: scalar(d).value };
  }
}

function value(d: Draw, depth: number): Value {
  const k = d.int(0, 11);
  if (k === 0 && depth < 2) return object(d, depth + 1, d.int(1, 4));
  if (k === 2) return anyValue(d, depth);
  if (k === 1) {
    const item = scalar(d);
    const n = d.int(1, 3);
    const items = Array.from({ length: n }, () => item.value);
    return { schema: { type: 'array', items: item.schema }, value: items };
  }
  return scalar(d);
}

function object(d: Draw, depth: number, size: number): Value {
  const properties: Record<string, unknown> = {};
  const doc: Record<string, unknown> = {};
  const required: string[] = [];
  for (let i = 0; i < size; i++) {
    const name = d.name();
    if (name in properties) continue;
    const v = value(d, depth);
    properties[name] = v.schema;
    const present = d.chance(0.8);
    if (present) doc[name] = v.value;
    if (present && d.chance(0.7)) required.push(name);
  }
  const schema: Record<string, unknown> = { type: 'object', properties };
  if (required.length > 0) schema['required'] = required;
  if (d.chance(0.5)) schema['additionalProperties'] = false;
  return { schema, value: doc };
}

/** JSON with `", "` and `": "` between items, as Python's json.dumps writes (MaskBench's instances). */
function spaced(v: unknown): string {
  if (v instanceof NumberText) return v.text;
  if (Array.isArray(v)) return `[${v.map(spaced).join(', ')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${spaced(x)}`).join(', ')}}`;
  return JSON.stringify(v);
}

/** `count` schemas with a document each, the same for the same seed. */
export function toolSchemaCases(count: number, seed = 1): ToolSchemaCase[] {
  const d = new Draw(seed);
  const out: ToolSchemaCase[] = [];
  for (let i = 0; i < count; i++) {
    const args = object(d, 0, d.int(1, 6));
    // Half are the arguments alone (as MaskBench's function-calling files), half a call object.
    const wrapped = d.chance(0.5);
    const name = d.name();
    const schema = wrapped
      ? { type: 'object', properties: { name: { const: name }, arguments: args.schema }, required: ['name', 'arguments'] }
      : args.schema;
    const doc = wrapped ? { name, arguments: args.value } : args.value;
    out.push({ schema, document: spaced(doc) });
  }
  return out;
}
