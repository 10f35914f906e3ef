/**
 * Reading a request's JSON fields with errors that name the field: each reader checks the type
 * and range of one field, `null` counts as absent (clients send `"stop": null` for "not given"),
 * and `onlyKnown` refuses any field the route does not list, so a misspelt or unsupported field is
 * a 400 naming it rather than silently ignored.
 */
import { badRequest } from './http-error.ts';

export class Fields {
  constructor(readonly obj: Record<string, unknown>, readonly where = '') {}

  /** `v` as an object's fields, or a 400 naming `where`. */
  static of(v: unknown, where: string): Fields {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw badRequest(`${where} must be a JSON object`, where);
    return new Fields(v as Record<string, unknown>, where);
  }

  path(key: string): string {
    return this.where ? `${this.where}.${key}` : key;
  }

  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.obj, key) && this.obj[key] !== null && this.obj[key] !== undefined;
  }

  raw(key: string): unknown {
    return this.has(key) ? this.obj[key] : undefined;
  }

  /** Fields present (and not null) that `known` does not list: a 400 naming all of them. */
  onlyKnown(known: ReadonlySet<string>, hint = ''): void {
    const unknown = Object.keys(this.obj).filter((k) => !known.has(k) && this.obj[k] !== null && this.obj[k] !== undefined);
    if (unknown.length === 0) return;
    const names = unknown.map((k) => this.path(k));
    throw badRequest(`unknown field${names.length > 1 ? 's' : ''} ${names.join(', ')}: not part of this endpoint's format, or not supported by this server${hint ? ` (${hint})` : ''}`, names[0]!, 'unknown_field');
  }

  string(key: string, opts: { required?: boolean; maxChars?: number; nonEmpty?: boolean } = {}): string | undefined {
    const v = this.raw(key);
    if (v === undefined) {
      if (opts.required) throw badRequest(`${this.path(key)} is required`, this.path(key), 'missing_field');
      return undefined;
    }
    if (typeof v !== 'string') throw badRequest(`${this.path(key)} must be a string`, this.path(key));
    if (opts.nonEmpty && v === '') throw badRequest(`${this.path(key)} is empty`, this.path(key));
    if (opts.maxChars !== undefined && v.length > opts.maxChars) throw badRequest(`${this.path(key)} is ${v.length} characters, over the limit of ${opts.maxChars}`, this.path(key), 'limit_exceeded');
    return v;
  }

  number(key: string, opts: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    const p = this.path(key);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw badRequest(`${p} must be a number`, p);
    if (opts.integer && !Number.isInteger(v)) throw badRequest(`${p} must be an integer, not ${v}`, p);
    if (opts.min !== undefined && v < opts.min) throw badRequest(`${p} must be ≥ ${opts.min}, not ${v}`, p);
    if (opts.max !== undefined && v > opts.max) throw badRequest(`${p} must be ≤ ${opts.max}, not ${v}`, p);
    return v;
  }

  boolean(key: string): boolean | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') throw badRequest(`${this.path(key)} must be true or false`, this.path(key));
    return v;
  }

  object(key: string): Fields | undefined {
    const v = this.raw(key);
    return v === undefined ? undefined : Fields.of(v, this.path(key));
  }

  /** A field that this server accepts only at the value that changes nothing (`n: 1`, `echo: false`). */
  onlyValue(key: string, allowed: readonly unknown[], why: string): void {
    const v = this.raw(key);
    if (v === undefined) return;
    const same = allowed.some((a) => JSON.stringify(a) === JSON.stringify(v));
    if (!same) throw badRequest(`${this.path(key)} = ${JSON.stringify(v).slice(0, 80)} is not supported: ${why}`, this.path(key), 'unsupported_value');
  }
}
