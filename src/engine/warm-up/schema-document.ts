/**
 * A likely document for a JSON Schema, as a model would write it for a tool call: every declared
 * property in schema order, the first enum value, two items per array (one where it holds one),
 * short placeholder scalars fitted to lengths and ranges, a plain choice's first branch that
 * writes a whole value, in the compact layout of Python's `json.dumps` (`", "`, `": "`); one
 * document per branch when the schema is a choice between objects or only a choice
 * (schemaDocuments).
 * It may be cut short (see schemaDocument) and need not be valid: a prewalk (schema-prewalk.ts)
 * walks what it can and stops at its first refused token.
 */
import { unescapePointerToken } from '../schema/schema-error.ts';
import { patternRegex } from '../schema/lookahead.ts';
import { ecmaRegExp } from '../schema/ecma-regexp.ts';
import { regexExample } from '../regex/example.ts';
import { DEFAULT_LIMITS } from '../limits.ts';

/** Examples of the standard string formats (a placeholder word would be refused by most). */
const FORMAT_EXAMPLES: Record<string, string> = {
  date: '2024-01-01',
  'date-time': '2024-01-01T00:00:00Z',
  time: '12:00:00',
  email: 'a@example.com',
  uri: 'https://example.com',
  'uri-reference': 'https://example.com',
  hostname: 'example.com',
  ipv4: '127.0.0.1',
  uuid: '123e4567-e89b-12d3-a456-426614174000',
};

/** Subschemas followed through `$ref`, `items` and properties before the document stops. */
const MAX_DEPTH = 12;
/**
 * Subschemas visited for one document, at most: a choice tries its branches in turn, so nested
 * choices whose branches all stop deep down would otherwise take branches^depth visits.
 */
const MAX_VISITS = 2_000;

/**
 * Keywords that make a value's lexeme one no placeholder is sure to fit, or whose first walks can
 * take milliseconds (a negation, a combination): a prewalk must not spend them on positions an
 * output may never reach, so the document stops before such a value. Lengths and ranges are met
 * with a placeholder that fits them, a pattern with a short string it matches (patternExample).
 */
const STOP_BEFORE = ['pattern', 'multipleOf', 'not', 'allOf', 'anyOf', 'oneOf', 'if', 'patternProperties', 'propertyNames'];

/**
 * A short string pattern `p` matches (regex/example.ts, checked with the RegExp the schema
 * compiler checks the pattern with), or undefined: an invalid pattern, a lookahead, or an example
 * the check refuses.
 */
function patternExample(p: string): string | undefined {
  try {
    const example = regexExample(patternRegex(p, DEFAULT_LIMITS));
    return example !== undefined && ecmaRegExp(p)?.test(example) === true ? example : undefined;
  } catch {
    return undefined;
  }
}

type Schema = { [k: string]: unknown };
const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keywords beside a `$ref` that say nothing about the value (draft-07 ignores every sibling). */
const ANNOTATIONS = new Set(['$ref', '$schema', '$id', '$comment', 'definitions', '$defs', 'title', 'description', 'examples', 'default']);

/** A JSON value in the document's layout (Python's `json.dumps`: `", "` and `": "`). */
function dumps(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(dumps).join(', ')}]`;
  if (typeof v === 'object' && v !== null) return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${dumps(x)}`).join(', ')}}`;
  return JSON.stringify(v) ?? 'null';
}

/**
 * The first `const` or `enum` value of an `allOf` branch (a value every instance must equal one
 * of, whatever the other branches say), or undefined.
 */
function allOfValue(s: Schema): { value: unknown } | undefined {
  const all = s['allOf'];
  if (!Array.isArray(all)) return undefined;
  for (const b of all) {
    if (!isSchema(b)) continue;
    if ('const' in b) return { value: b['const'] };
    if (Array.isArray(b['enum']) && b['enum'].length > 0) return { value: b['enum'][0] };
  }
  return undefined;
}

/**
 * The branches of a schema that is only a choice (`anyOf` or `oneOf` beside annotations), else
 * undefined: a choice with other keywords beside it constrains each branch with them, which a
 * branch's document alone would not follow.
 */
function choiceBranches(s: Schema): unknown[] | undefined {
  const key = Array.isArray(s['anyOf']) ? 'anyOf' : Array.isArray(s['oneOf']) ? 'oneOf' : undefined;
  if (key === undefined || !Object.keys(s).every((k) => k === key || ANNOTATIONS.has(k))) return undefined;
  return s[key] as unknown[];
}

/** `s` with its `$ref`s followed while nothing else beside them constrains the value. */
function resolved(s: unknown, root: unknown): unknown {
  for (let depth = 0; depth < MAX_DEPTH && isSchema(s) && typeof s['$ref'] === 'string'; depth++) {
    const ref = s['$ref'];
    if (!ref.startsWith('#') || !Object.keys(s).every((k) => ANNOTATIONS.has(k))) return undefined;
    s = pointer(root, ref.slice(1));
  }
  return s;
}

/**
 * The document's text, cut before the first value whose schema has a STOP_BEFORE keyword (or a
 * format without an example here, or under a length bound) or that would take it past `maxChars`
 * (a large schema's output is long); undefined when nothing is left. `root` is the document the
 * schema's `$ref`s point into.
 */
export function schemaDocument(schema: unknown, maxChars = 2_000, root: unknown = schema): string | undefined {
  const out: string[] = [];
  let chars = 0;
  const emit = (s: string): true => {
    out.push(s);
    chars += s.length;
    return true;
  };
  /** Writes a value for `s`; false (the document stops) where its schema is one to stop before. */
  let visits = 0;
  const value = (s: unknown, depth: number): boolean => {
    if (chars > maxChars || depth > MAX_DEPTH || ++visits > MAX_VISITS) return false;
    if (!isSchema(s)) return (s === true || s === undefined) && emit('"abc"');
    if (typeof s['$ref'] === 'string') {
      const target = resolved(s, root);
      return target !== undefined && value(target, depth + 1);
    }
    if ('const' in s) return emit(dumps(s['const']));
    const choices = s['enum'];
    if (Array.isArray(choices)) return choices.length > 0 && emit(dumps(choices[0]));
    const fixed = allOfValue(s);
    if (fixed !== undefined) return emit(dumps(fixed.value));
    const branches = choiceBranches(s);
    if (branches !== undefined) {
      // A plain choice: the first branch that writes a whole value (an output takes one of them).
      const mark = out.length;
      const before = chars;
      for (const b of branches) {
        if (value(b, depth + 1)) return true;
        out.length = mark;
        chars = before;
      }
      return false;
    }
    // A pattern alone is written with its shortest match (below); any other such keyword ends the document.
    if (STOP_BEFORE.some((k) => k in s && (k !== 'pattern' || typeof s[k] !== 'string'))) return false;
    const types = s['type'];
    const type = Array.isArray(types) ? types.find((t) => t !== 'null') ?? types[0] : types ?? (isSchema(s['properties']) ? 'object' : s['items'] !== undefined ? 'array' : 'string');
    switch (type) {
      case 'object': {
        const props = isSchema(s['properties']) ? s['properties'] : {};
        emit('{');
        let first = true;
        for (const [name, sub] of Object.entries(props)) {
          const mark = out.length;
          emit(`${first ? '' : ', '}${JSON.stringify(name)}: `);
          if (!value(sub, depth + 1)) {
            out.length = mark;
            return false;
          }
          first = false;
        }
        return emit('}');
      }
      case 'array': {
        const mark = out.length;
        emit('[');
        const items = s['items'];
        const tuple = Array.isArray(items);
        if (value(tuple ? items[0] : items, depth + 1)) {
          // A second item where the schema allows it: from the second on, items share their parser
          // states (GrammarBuilder.separated), so two cover every later one.
          const max = s['maxItems'];
          if (tuple || s['uniqueItems'] === true || (typeof max === 'number' && max < 2)) return emit(']');
          const second = out.length;
          const before = chars;
          emit(', ');
          // Left out where it does not write whole or would take the document past maxChars.
          if (!value(items, depth + 1) || chars > maxChars) {
            out.length = second;
            chars = before;
          }
          return emit(']');
        }
        out.length = mark;
        return false;
      }
      case 'integer':
      case 'number': {
        // The placeholder moved inside the range where a bound excludes it (a value outside it
        // only ends the walk early: the grammar refuses it).
        const int = type === 'integer';
        let v = int ? 1 : 1.5;
        const { minimum: min, maximum: max, exclusiveMinimum: xmin, exclusiveMaximum: xmax } = s;
        if (typeof min === 'number' && v < min) v = int ? Math.ceil(min) : min;
        if (typeof xmin === 'number' && v <= xmin) v = int ? Math.floor(xmin) + 1 : xmin + 0.5;
        if (typeof max === 'number' && v > max) v = int ? Math.floor(max) : max;
        if (typeof xmax === 'number' && v >= xmax) v = int ? Math.ceil(xmax) - 1 : xmax - 0.5;
        return emit(String(v));
      }
      case 'boolean':
        return emit('true');
      case 'null':
        return emit('null');
      case 'string': {
        const format = s['format'];
        const min = typeof s['minLength'] === 'number' ? s['minLength'] : 0;
        const max = typeof s['maxLength'] === 'number' ? s['maxLength'] : Infinity;
        if (typeof s['pattern'] === 'string') {
          const example = format === undefined ? patternExample(s['pattern']) : undefined;
          const length = example === undefined ? -1 : [...example].length;
          return example !== undefined && length >= min && length <= max && emit(JSON.stringify(example));
        }
        if (format === undefined) {
          // A length the bounds allow: the placeholder padded or cut (lengths past 64 end the walk).
          const length = Math.min(Math.max(3, min), max);
          return min <= max && min <= 64 && emit(JSON.stringify('abc'.padEnd(length, 'c').slice(0, length)));
        }
        if (min > 0 || max < Infinity) return false;
        const example = typeof format === 'string' ? FORMAT_EXAMPLES[format] : undefined;
        return example !== undefined && emit(JSON.stringify(example));
      }
      default:
        return false;
    }
  };
  value(schema, 0);
  const text = out.join('');
  return text.length === 0 || text.length > maxChars ? undefined : text;
}

/**
 * The documents a prewalk walks: one per branch when the schema is a choice between objects (a
 * tool call to one of several functions: the output picks one) or only a choice, else
 * schemaDocument's one; all within `maxChars` together.
 */
export function schemaDocuments(schema: unknown, maxChars = 2_000): string[] {
  const top = resolved(schema, schema);
  const branches = isSchema(top) && !isSchema(top['properties']) ? top['anyOf'] ?? top['oneOf'] : undefined;
  const resolvedBranches = Array.isArray(branches) ? branches.map((b) => resolved(b, schema)) : [];
  const objects = resolvedBranches.length > 0 && resolvedBranches.every((b) => isSchema(b) && (b['type'] === 'object' || isSchema(b['properties'])));
  const choice = objects || (isSchema(top) && choiceBranches(top) !== undefined);
  const out: string[] = [];
  let left = maxChars;
  for (const s of choice ? resolvedBranches : [schema]) {
    const d = schemaDocument(s, left, schema); // a branch's `$ref`s point into the whole schema
    if (d === undefined) continue;
    out.push(d);
    left -= d.length;
  }
  return out;
}

/** The subschema at a JSON Pointer (`/definitions/x`) in the root document, or undefined. */
function pointer(root: unknown, path: string): unknown {
  let at = root;
  for (const raw of path.split('/').slice(1)) {
    let key: string;
    try {
      key = unescapePointerToken(decodeURIComponent(raw));
    } catch {
      return undefined; // a malformed %-escape: the reference names nothing (a prewalk never throws)
    }
    at = isSchema(at) ? at[key] : Array.isArray(at) ? at[Number(key)] : undefined;
  }
  return at;
}
