/**
 * The printer: Constraint[] → Ariadne text that compiles back to the same constraints (the round
 * trip test/ariadne/roundtrip.test.ts checks, on Clew's output and on generated constraints).
 * Fields equal to what the compiler would default to are left out; `id` is written whenever the
 * block's name would not give it back.
 */
import type { Constraint } from '../core/index.ts';
import type { Value } from './ast.ts';
import { DEFAULT_CONFIDENCE, DEFAULT_KIND, DEFAULT_PRIORITY, defaultSeverity } from './compile.ts';
import { KINDS, SEVERITIES, SOURCES, variantOf } from './enums.ts';
import { writeRule } from './rules.ts';
import { list, num, obj, str, variant } from './values.ts';

export interface PrintOptions {
  /** A comment for the top of the file; each line is written after `-- `. */
  header?: string;
  /** Writes `module <name>`; ids are then relative to it. */
  module?: string;
}

/** Lines longer than this are broken into one item or field per line. */
const WIDTH = 100;
const STEP = '  ';
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether text can be written as a raw `"""` block and read back unchanged. */
function blockable(s: string): boolean {
  return s.includes('\n') && !s.includes('"""') && !/[\u0000-\u0008\u000b-\u001f\u007f\r]/.test(s) && !/[\ud800-\udfff]/.test(s);
}

/** Whether text can be written as a one-line raw `"""…"""` (worth it for backslashes: regexes). */
function rawLine(s: string): boolean {
  return s.includes('\\') && !s.includes('"""') && !s.startsWith('"') && !s.endsWith('"') &&
    !/[\u0000-\u001f\u007f]/.test(s) && !/[\ud800-\udfff]/.test(s);
}

/** A `"…"` string with escapes. */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f || (c >= 0xd800 && c <= 0xdfff)) out += `\\u{${c.toString(16)}}`;
    else out += ch;
  }
  return `${out}"`;
}

function printString(s: string, indent: string): string {
  if (blockable(s)) {
    const inner = indent + STEP;
    return `"""\n${s.split('\n').map((l) => (l === '' ? '' : inner + l)).join('\n')}\n${inner}"""`;
  }
  if (rawLine(s)) return `"""${s}"""`;
  return quote(s);
}

const key = (k: string): string => (IDENT.test(k) ? k : quote(k));

/** A value as text, at `indent` (the indentation of the line it starts on). */
export function printValue(v: Value, indent = ''): string {
  switch (v.kind) {
    case 'string': return printString(v.value, indent);
    case 'number': return Object.is(v.value, -0) ? '-0' : String(v.value);
    case 'bool': return String(v.value);
    case 'null': return 'null';
    case 'enum': return v.arg ? `.${v.name}(${printValue(v.arg, indent)})` : `.${v.name}`;
    case 'path': return v.parts.join('.');
    case 'query': return `query(${v.language}) {${v.text}}`;
    case 'fn': return `${v.async ? 'async ' : ''}fn ${v.name ?? ''}(${v.params.join(', ')})${v.returns ? ` -> ${v.returns}` : ''}`;
    case 'error': return 'null';
    case 'list': {
      if (v.items.length === 0) return '[]';
      const inline = `[${v.items.map((x) => printValue(x, indent)).join(', ')}]`;
      if (!inline.includes('\n') && indent.length + inline.length <= WIDTH) return inline;
      const inner = indent + STEP;
      return `[\n${v.items.map((x) => `${inner}${printValue(x, inner)},`).join('\n')}\n${indent}]`;
    }
    case 'object': {
      if (v.entries.length === 0) return '{}';
      const inline = `{ ${v.entries.map((e) => `${key(e.key)}: ${printValue(e.value, indent)}`).join(', ')} }`;
      if (!inline.includes('\n') && indent.length + inline.length <= WIDTH) return inline;
      const inner = indent + STEP;
      return `{\n${v.entries.map((e) => `${inner}${key(e.key)}: ${printValue(e.value, inner)}`).join('\n')}\n${indent}}`;
    }
  }
}

/** A block name from an id: letters, digits and `_`, not starting with a digit. */
function nameFor(id: string): string {
  const n = id.replace(/[^A-Za-z0-9_]+/g, '_').replace(/_+/g, '_').replace(/^_|_$/g, '');
  return n === '' || /^[0-9]/.test(n) ? `c_${n}` : n;
}

const location = (p: { file: string; line: number; column: number }): Value =>
  obj([['file', str(p.file)], ['line', num(p.line)], ['column', num(p.column)]]);

/** One constraint as a block named `name`. */
function printConstraint(c: Constraint, name: string, module: string | undefined): string {
  const fields: [string, Value][] = [];
  if (c.id !== (module ? `${module}.${name}` : name)) fields.push(['id', str(c.id)]);
  const r = writeRule(c.rule);
  fields.push([r.field, r.value]);
  if (c.kind !== DEFAULT_KIND[c.rule.type]) fields.push(['kind', variant(variantOf(KINDS, c.kind))]);
  if (c.severity !== defaultSeverity(c.rule)) fields.push(['severity', variant(variantOf(SEVERITIES, c.severity))]);
  if (c.priority !== DEFAULT_PRIORITY) fields.push(['priority', num(c.priority)]);
  if (c.confidence !== DEFAULT_CONFIDENCE) fields.push(['confidence', num(c.confidence)]);
  if (c.source !== 'user_defined') fields.push(['source', variant(variantOf(SOURCES, c.source))]);
  if (c.provenance) fields.push(['provenance', location(c.provenance)]);
  if (c.evidence) {
    fields.push(['evidence', obj([
      ['matching', num(c.evidence.matching)], ['total', num(c.evidence.total)],
      ['examples', c.evidence.examples ? list(c.evidence.examples.map(location)) : undefined],
    ])]);
  }
  const comment = c.description.replace(/\s+/g, ' ').trim();
  const body = fields.map(([k, v]) => `${STEP}${k}: ${printValue(v, STEP)}`).join('\n');
  return `${comment ? `-- ${comment}\n` : ''}constraint ${name} {\n${body}\n}\n`;
}

/** Constraints as an Ariadne file. */
export function printAriadne(constraints: readonly Constraint[], options: PrintOptions = {}): string {
  const parts: string[] = [];
  if (options.header) parts.push(options.header.split('\n').map((l) => (l === '' ? '--' : `-- ${l}`)).join('\n') + '\n');
  if (options.module) parts.push(`module ${options.module}\n`);
  const used = new Set<string>();
  for (const c of constraints) {
    const base = nameFor(c.id);
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    parts.push(printConstraint(c, name, options.module));
  }
  return parts.join('\n');
}
