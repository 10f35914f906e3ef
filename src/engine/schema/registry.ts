import { detectDraft, type Draft } from './draft.ts';
import { JsonSchemaError, childPointer, unescapePointerToken } from './schema-error.ts';

/** Where a (sub)schema lives: the schema value, its base URI, and its JSON pointer in the document. */
export interface SchemaLocation {
  schema: unknown;
  base: string;
  /**
   * JSON pointer in the schema being compiled; in a document loaded for a remote `$ref`, prefixed
   * with that document's URI and `#` (`https://…/base.json#/definitions/x`), so locations of two
   * documents never share a key.
   */
  pointer: string;
  /** The draft of a loaded document (its own `$schema`), when it is not the root's. */
  draft?: Draft;
}

/** Base URI of a document without `$id`: refs to anything but its own fragments are remote. */
export const DEFAULT_BASE = 'ananke-schema://local/root.json';

/**
 * Other schema documents by URI, for `$ref`s that leave the document (a schema registry: a
 * folder's schemas by `$id` and file name, `schemaDocuments` in catalog.ts). Returns the parsed
 * document or undefined. Never fetched over a network.
 */
export type SchemaDocuments = (uri: string) => unknown;

/** Documents loaded for remote references in one compilation, at most. */
export const MAX_REMOTE_DOCUMENTS = 256;

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
 * `$ref` resolution: every subschema reached through schema keywords is indexed by object (for
 * its base URI and pointer), every `$id` by URI and every `$anchor` (and draft-07 `$id: "#name"`)
 * by URI#name. A URI outside the document is looked up in `documents` (when given), and the
 * document found is indexed the same way, under its own draft; otherwise it is a SCHEMA error.
 */
export class SchemaRegistry {
  private readonly byUri = new Map<string, SchemaLocation>();
  private readonly byObject = new Map<object, SchemaLocation>();
  /** URIs of the documents loaded for remote references (in load order). */
  readonly loaded: string[] = [];

  constructor(
    readonly root: unknown,
    readonly draft: Draft,
    private readonly documents?: SchemaDocuments,
    /** The document's retrieval URI (where it was read from), the base when it has no `$id`. */
    readonly baseUri: string = DEFAULT_BASE,
  ) {
    const rootLoc = { schema: root, base: baseUri, pointer: '' };
    this.byUri.set(baseUri, rootLoc);
    this.walk(root, baseUri, '', 0, undefined);
  }

  private walk(node: unknown, base: string, pointer: string, depth: number, draft: Draft | undefined): void {
    if (!isObject(node) || depth > 500 || this.byObject.has(node)) return;
    const d = draft ?? this.draft;
    const idKey = d === 'draft4' ? 'id' : '$id';
    const id = node[idKey];
    const at = (p: string): SchemaLocation => (draft === undefined ? { schema: node, base, pointer: p } : { schema: node, base, pointer: p, draft });
    if (typeof id === 'string' && !(d !== '2020-12' && d !== '2019-09' && typeof node['$ref'] === 'string')) {
      try {
        const u = new URL(id, base);
        if (u.hash !== '' && u.hash !== '#' && stripFragment(u) === stripFragment(new URL(base))) {
          this.byUri.set(u.href, at(pointer));
        } else {
          base = stripFragment(u);
          this.byUri.set(base, draft === undefined ? { schema: node, base, pointer } : { schema: node, base, pointer, draft });
        }
      } catch {
        throw new JsonSchemaError(pointer, idKey, `invalid URI ${JSON.stringify(id)}`);
      }
    }
    const loc = draft === undefined ? { schema: node, base, pointer } : { schema: node, base, pointer, draft };
    const anchor = node['$anchor'];
    if (typeof anchor === 'string') this.byUri.set(`${base}#${anchor}`, loc);
    this.byObject.set(node, loc);
    for (const k of MAP_KEYWORDS) {
      const m = node[k];
      if (isObject(m)) for (const [name, sub] of Object.entries(m)) this.walk(sub, base, childPointer(pointer, k, name), depth + 1, draft);
    }
    for (const k of ONE_KEYWORDS) if (isObject(node[k])) this.walk(node[k], base, childPointer(pointer, k), depth + 1, draft);
    for (const k of LIST_KEYWORDS) {
      const l = node[k];
      if (Array.isArray(l)) l.forEach((sub, i) => this.walk(sub, base, childPointer(pointer, k, i), depth + 1, draft));
    }
  }

  /** Base URI and pointer of a subschema object (or the given fallback). */
  locate(schema: unknown, fallback: SchemaLocation): SchemaLocation {
    if (isObject(schema)) return this.byObject.get(schema) ?? fallback;
    return fallback;
  }

  /**
   * The document at `uri` (no fragment) from `documents`, indexed under its own draft with
   * pointers prefixed by the URI; undefined when there is none.
   */
  private load(uri: string, from: SchemaLocation, keyword: string): SchemaLocation | undefined {
    if (this.documents === undefined) return undefined;
    const doc = this.documents(uri);
    if (doc === undefined) return undefined;
    if (!isObject(doc) && typeof doc !== 'boolean') throw new JsonSchemaError(from.pointer, keyword, `the document found for ${JSON.stringify(uri)} is not a schema`);
    if (this.loaded.length >= MAX_REMOTE_DOCUMENTS) {
      throw new JsonSchemaError(from.pointer, keyword, `more than ${MAX_REMOTE_DOCUMENTS} documents loaded for remote references`);
    }
    this.loaded.push(uri);
    // A document without $schema is read as the root's draft.
    const draft = isObject(doc) && typeof doc['$schema'] === 'string' ? detectDraft(doc) : this.draft;
    const loc: SchemaLocation = { schema: doc, base: uri, pointer: `${uri}#`, draft };
    this.byUri.set(uri, loc);
    if (isObject(doc) && this.byObject.has(doc)) return this.byObject.get(doc)!;
    this.walk(doc, uri, `${uri}#`, 0, draft);
    return isObject(doc) ? (this.byObject.get(doc) ?? loc) : loc;
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
    const resource = this.byUri.get(resourceUri) ?? this.load(resourceUri, from, keyword);
    if (resource === undefined) {
      throw new JsonSchemaError(from.pointer, keyword, `reference ${JSON.stringify(ref)} is not in this document${this.documents === undefined ? ' (remote references need a schema registry, e.g. `--schema-dir DIR`; nothing is fetched)' : ' nor in the schema registry'}`);
    }
    const again = this.byUri.get(u.href);
    if (again !== undefined) return again;
    const frag = decodeURIComponent(u.hash.replace(/^#/, ''));
    if (frag === '') return resource;
    if (!frag.startsWith('/')) throw new JsonSchemaError(from.pointer, keyword, `reference ${JSON.stringify(ref)}: no $anchor named ${JSON.stringify(frag)}`);
    let cur: unknown = resource.schema;
    let pointer = resource.pointer;
    for (const raw of frag.slice(1).split('/')) {
      const tok = unescapePointerToken(raw);
      if (Array.isArray(cur) && /^(0|[1-9][0-9]*)$/.test(tok) && Number(tok) < cur.length) cur = cur[Number(tok)];
      else if (isObject(cur) && Object.prototype.hasOwnProperty.call(cur, tok)) cur = cur[tok];
      else throw new JsonSchemaError(from.pointer, keyword, `reference ${JSON.stringify(ref)} points to nothing`);
      pointer = childPointer(pointer, tok);
    }
    const fallback: SchemaLocation = { schema: cur, base: resource.base, pointer };
    if (resource.draft !== undefined) fallback.draft = resource.draft;
    return this.locate(cur, fallback);
  }
}
