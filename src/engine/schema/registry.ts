import { JsonSchemaError, childPointer } from './schema-error.ts';
import type { Draft } from './draft.ts';

/** Where a (sub)schema lives: the schema value, its base URI, and its JSON pointer in the document. */
export interface SchemaLocation {
  schema: unknown;
  base: string;
  pointer: string;
}

/** Base URI of a document without `$id`: refs to anything but its own fragments are remote. */
export const DEFAULT_BASE = 'ananke-schema://local/root.json';

const MAP_KEYWORDS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'dependencies'];
const ONE_KEYWORDS = ['additionalProperties', 'additionalItems', 'items', 'contains', 'propertyNames', 'not', 'if', 'then', 'else', 'unevaluatedItems', 'unevaluatedProperties', 'contentSchema'];
const LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'];

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function stripFragment(u: URL): string {
  const c = new URL(u.href);
  c.hash = '';
  return c.href;
}

/**
 * Local `$ref` resolution: every subschema reached through schema keywords is indexed by object
 * (for its base URI and pointer), every `$id` by URI and every `$anchor` (and draft-07 `$id: "#name"`)
 * by URI#name. Remote references (a URI not in the document) are a SCHEMA error.
 */
export class SchemaRegistry {
  private readonly byUri = new Map<string, SchemaLocation>();
  private readonly byObject = new WeakMap<object, SchemaLocation>();

  constructor(
    readonly root: unknown,
    readonly draft: Draft,
  ) {
    const rootLoc = { schema: root, base: DEFAULT_BASE, pointer: '' };
    this.byUri.set(DEFAULT_BASE, rootLoc);
    this.walk(root, DEFAULT_BASE, '', 0);
  }

  private walk(node: unknown, base: string, pointer: string, depth: number): void {
    if (!isObject(node) || depth > 500 || this.byObject.has(node)) return;
    const idKey = this.draft === 'draft4' ? 'id' : '$id';
    const id = node[idKey];
    if (typeof id === 'string' && !(this.draft !== '2020-12' && this.draft !== '2019-09' && typeof node['$ref'] === 'string')) {
      try {
        const u = new URL(id, base);
        if (u.hash !== '' && u.hash !== '#' && stripFragment(u) === stripFragment(new URL(base))) {
          this.byUri.set(u.href, { schema: node, base, pointer });
        } else {
          base = stripFragment(u);
          this.byUri.set(base, { schema: node, base, pointer });
        }
      } catch {
        throw new JsonSchemaError(pointer, idKey, `invalid URI ${JSON.stringify(id)}`);
      }
    }
    const anchor = node['$anchor'];
    if (typeof anchor === 'string') this.byUri.set(`${base}#${anchor}`, { schema: node, base, pointer });
    const loc = { schema: node, base, pointer };
    this.byObject.set(node, loc);
    for (const k of MAP_KEYWORDS) {
      const m = node[k];
      if (isObject(m)) for (const [name, sub] of Object.entries(m)) this.walk(sub, base, childPointer(pointer, k, name), depth + 1);
    }
    for (const k of ONE_KEYWORDS) if (isObject(node[k])) this.walk(node[k], base, childPointer(pointer, k), depth + 1);
    for (const k of LIST_KEYWORDS) {
      const l = node[k];
      if (Array.isArray(l)) l.forEach((sub, i) => this.walk(sub, base, childPointer(pointer, k, i), depth + 1));
    }
  }

  /** Base URI and pointer of a subschema object (or the given fallback). */
  locate(schema: unknown, fallback: SchemaLocation): SchemaLocation {
    if (isObject(schema)) return this.byObject.get(schema) ?? fallback;
    return fallback;
  }

  /** Resolve `ref` written in the schema at `from`. */
  resolve(ref: string, from: SchemaLocation, keyword: string): SchemaLocation {
    let u: URL;
    try {
      u = new URL(ref, from.base);
    } catch {
      throw new JsonSchemaError(from.pointer, keyword, `invalid reference ${JSON.stringify(ref)}`);
    }
    const full = this.byUri.get(u.href);
    if (full !== undefined) return full;
    const resourceUri = stripFragment(u);
    const resource = this.byUri.get(resourceUri);
    if (resource === undefined) throw new JsonSchemaError(from.pointer, keyword, `reference ${JSON.stringify(ref)} is not in this document (remote references are not supported)`);
    const frag = decodeURIComponent(u.hash.replace(/^#/, ''));
    if (frag === '') return resource;
    if (!frag.startsWith('/')) throw new JsonSchemaError(from.pointer, keyword, `reference ${JSON.stringify(ref)}: no $anchor named ${JSON.stringify(frag)}`);
    let cur: unknown = resource.schema;
    let pointer = resource.pointer;
    for (const raw of frag.slice(1).split('/')) {
      const tok = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      if (Array.isArray(cur) && /^(0|[1-9][0-9]*)$/.test(tok) && Number(tok) < cur.length) cur = cur[Number(tok)];
      else if (isObject(cur) && Object.prototype.hasOwnProperty.call(cur, tok)) cur = cur[tok];
      else throw new JsonSchemaError(from.pointer, keyword, `reference ${JSON.stringify(ref)} points to nothing`);
      pointer = childPointer(pointer, tok);
    }
    return this.locate(cur, { schema: cur, base: resource.base, pointer });
  }
}
