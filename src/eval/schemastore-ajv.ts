import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { AnankeError } from '../core/index.ts';
import type { ReferenceValidator } from './schemastore.ts';

/**
 * ajv as the reference of `bench schemastore`: the validator SchemaStore's own tests use, by the
 * schema's `$schema` (2020-12, 2019-09, else draft-07, which also reads draft-04/06 forms), not
 * strict, formats asserted (ajv-formats), with every schema of the registry folders added so that
 * remote `$ref`s resolve as ours do. ajv is a development dependency of Ananke: an installed
 * package needs `npm install ajv@8 ajv-formats@3` (and `yaml@2` for YAML test documents) for this
 * command (a clear error says so).
 */
interface AjvLike {
  addSchema(schema: unknown, key?: string): unknown;
  getSchema(key: string): ((v: unknown) => boolean) | undefined;
  compile(schema: unknown): (v: unknown) => boolean;
}
type AjvClass = new (opts: Record<string, unknown>) => AjvLike;

export const AJV_NOTE = 'reference: ajv 8 (draft by $schema: 2020-12, 2019-09, else draft-07), strict off, formats on (ajv-formats)';

async function load(): Promise<{ classes: Record<'draft7' | '2019' | '2020', AjvClass>; addFormats: (ajv: AjvLike) => void }> {
  try {
    const defaultOf = (m: unknown): unknown => (m as { default?: unknown }).default ?? m;
    const [a7, a19, a20, f] = await Promise.all([import('ajv'), import('ajv/dist/2019.js'), import('ajv/dist/2020.js'), import('ajv-formats')]);
    return {
      classes: { draft7: defaultOf(a7) as AjvClass, '2019': defaultOf(a19) as AjvClass, '2020': defaultOf(a20) as AjvClass },
      addFormats: defaultOf(f) as (ajv: AjvLike) => void,
    };
  } catch (e) {
    throw new AnankeError('USAGE', `bench schemastore needs ajv and ajv-formats as its reference (npm install ajv@8 ajv-formats@3): ${(e as Error).message}`);
  }
}

function draftOf(schema: unknown): 'draft7' | '2019' | '2020' {
  const s = typeof schema === 'object' && schema !== null ? (schema as Record<string, unknown>)['$schema'] : undefined;
  if (typeof s === 'string' && /2020-12/.test(s)) return '2020';
  if (typeof s === 'string' && /2019-09/.test(s)) return '2019';
  return 'draft7';
}

function idOf(schema: unknown): string | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  const o = schema as Record<string, unknown>;
  const id = typeof o['$id'] === 'string' ? o['$id'] : typeof o['id'] === 'string' ? o['id'] : undefined;
  return id?.replace(/#$/, '');
}

/**
 * `yaml`'s `parse` (YAML 1.2, what SchemaStore's own tests read its YAML documents with), for the
 * YAML test documents of a SchemaStore checkout. Like ajv, `yaml` is a development dependency of
 * Ananke (`npm ci` installs it in a checkout), loaded only when a run has YAML documents; without
 * it the run stops with a usage error that says how to install it, rather than skip documents.
 */
export async function yamlParser(): Promise<(text: string) => unknown> {
  try {
    const m = (await import('yaml')) as { parse?: (t: string) => unknown; default?: { parse?: (t: string) => unknown } };
    const parse = m.parse ?? m.default?.parse;
    if (typeof parse !== 'function') throw new Error('the module has no parse function');
    return (text: string) => parse(text);
  } catch (e) {
    throw new AnankeError('USAGE', `bench schemastore reads the YAML test documents of this folder with the \`yaml\` package, a development dependency of Ananke (npm ci installs it in a checkout; elsewhere: npm install yaml@2.9.1): ${(e as Error).message}`);
  }
}

/** A reference validator with `registryFiles` (schema files) added to each ajv instance when first used. */
export async function ajvReference(registryFiles: readonly string[]): Promise<ReferenceValidator> {
  const { classes, addFormats } = await load();
  const instances = new Map<string, AjvLike>();
  const instance = (draft: 'draft7' | '2019' | '2020'): AjvLike => {
    let ajv = instances.get(draft);
    if (ajv !== undefined) return ajv;
    ajv = new classes[draft]({ strict: false, validateSchema: false, logger: false, allErrors: false });
    addFormats(ajv);
    for (const f of registryFiles) {
      try {
        const doc = JSON.parse(readFileSync(f, 'utf8').replace(/^\uFEFF/, '')) as unknown;
        if (idOf(doc) !== undefined) ajv.addSchema(doc);
      } catch {
        // a file ajv cannot take (a duplicate $id, not JSON) is simply not in its registry
      }
    }
    instances.set(draft, ajv);
    return ajv;
  };
  return {
    validator(schema: unknown, name: string): ((v: unknown) => boolean) | null {
      const ajv = instance(draftOf(schema));
      const id = idOf(schema);
      try {
        const registered = id !== undefined ? (ajv.getSchema(id) as ((v: unknown) => boolean) & { schema?: unknown }) : undefined;
        if (registered === undefined) return ajv.compile(schema);
        if (isDeepStrictEqual(registered.schema, schema)) return registered;
        // Another file holds the same $id (SchemaStore's versioned copies, e.g. utam-page-object
        // and utam-page-object-1.5.0): the registry has the first one, so this one compiles under
        // an id of its own in the same folder (relative references resolve alike).
        return ajv.compile({ ...(schema as Record<string, unknown>), [typeof (schema as Record<string, unknown>)['$id'] === 'string' ? '$id' : 'id']: `${id}?file=${encodeURIComponent(name)}` });
      } catch {
        return null;
      }
    },
  };
}
