/**
 * Generation targets as written on the command line (docs/braid.md, "Targets"):
 * `function:<file>:<name>`, `body:<file>:<name>`, `new:<file>:<line>` (with a signature),
 * `fim:<file>:<line>:<col>-<line>:<col>`, `module:<language>`, `json:<schema file>`.
 * File paths may contain `:` (Windows drives, odd names): the parts after the path are read from
 * the right.
 */
import { AnankeError, isLanguage, type Target } from '../core/index.ts';

const KINDS = ['function', 'body', 'new', 'fim', 'module', 'json'] as const;

function usage(spec: string, why: string): AnankeError {
  return new AnankeError('USAGE', `bad target '${spec}': ${why} (targets: function:<file>:<name>, body:<file>:<name>, new:<file>:<line> --signature "…", fim:<file>:<line>:<col>-<line>:<col>, module:<language>, json:<schema file>)`);
}

function positive(spec: string, s: string, what: string): number {
  if (!/^[1-9][0-9]*$/.test(s)) throw usage(spec, `${what} must be a positive integer, got '${s}'`);
  return Number(s);
}

export function parseTarget(spec: string, opts: { signature?: string } = {}): Target {
  const colon = spec.indexOf(':');
  const kind = colon < 0 ? spec : spec.slice(0, colon);
  const rest = colon < 0 ? '' : spec.slice(colon + 1);
  if (!(KINDS as readonly string[]).includes(kind)) throw usage(spec, `unknown kind '${kind}'`);
  if (rest === '') throw usage(spec, 'nothing after the kind');
  switch (kind as (typeof KINDS)[number]) {
    case 'function':
    case 'body': {
      const i = rest.lastIndexOf(':');
      if (i <= 0 || i === rest.length - 1) throw usage(spec, 'expected <file>:<name>');
      const name = rest.slice(i + 1);
      if (!/^[\p{L}_$][\p{L}\p{N}_$]*(\.[\p{L}_$][\p{L}\p{N}_$]*)*$/u.test(name)) throw usage(spec, `'${name}' is not a function name (write Class.method for methods)`);
      return { kind: kind as 'function' | 'body', file: rest.slice(0, i), name };
    }
    case 'new': {
      const i = rest.lastIndexOf(':');
      if (i <= 0) throw usage(spec, 'expected <file>:<line>');
      if (opts.signature === undefined || opts.signature.trim() === '') throw usage(spec, 'a new function needs --signature "<declaration head>"');
      return { kind: 'new', file: rest.slice(0, i), line: positive(spec, rest.slice(i + 1), 'the line'), signature: opts.signature };
    }
    case 'fim': {
      const m = /^(.*):([0-9]+):([0-9]+)-([0-9]+):([0-9]+)$/.exec(rest);
      if (!m || m[1] === '') throw usage(spec, 'expected <file>:<line>:<col>-<line>:<col>');
      const start = { line: positive(spec, m[2]!, 'the start line'), column: positive(spec, m[3]!, 'the start column') };
      const end = { line: positive(spec, m[4]!, 'the end line'), column: positive(spec, m[5]!, 'the end column') };
      if (end.line < start.line || (end.line === start.line && end.column < start.column)) throw usage(spec, 'the range ends before it starts');
      return { kind: 'fim', file: m[1]!, start, end };
    }
    case 'module': {
      const lang = rest.toLowerCase();
      if (!isLanguage(lang)) throw usage(spec, `unknown language '${rest}'`);
      return { kind: 'module', language: lang };
    }
    case 'json':
      return { kind: 'json', schemaFile: rest };
  }
}

/** The target written back as the command line spells it. */
export function formatTarget(t: Target): string {
  switch (t.kind) {
    case 'function': case 'body': return `${t.kind}:${t.file}:${t.name}`;
    case 'new': return `new:${t.file}:${t.line}`;
    case 'fim': return `fim:${t.file}:${t.start.line}:${t.start.column}-${t.end.line}:${t.end.column}`;
    case 'module': return `module:${t.language}`;
    case 'json': return `json:${t.schemaFile}`;
  }
}
