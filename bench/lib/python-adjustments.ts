/**
 * Rewrites of sampled Python texts before CPython judges them (bench/grammars.ts,
 * test/grammars/python.test.ts), used as `adjust` in `checkGrammarSoundness` and counted in its
 * report, as the tree-sitter rewrites are (src/eval/soundness-adjustments.ts): a lookup the
 * grammar cannot hold is never hidden as a pass.
 *
 * One rewrite, `unknown \N{…} name`: the name of a `\N{…}` escape in a string or in the text of an
 * f-string that the judge's interpreter does not know (`unicodedata.lookup` fails) becomes BULLET.
 * grammars/python.lark takes any name of the shape of Unicode's names (an uppercase letter, then
 * uppercase letters, digits, spaces and hyphens: `\N{7}` and `\N{bullet}` are refused); which of
 * those strings are among the 143,041 names (Unicode 15 in CPython 3.12) and their aliases is a
 * table, like the names a program defines. Only names of that shape are rewritten, and only where
 * the escape is one: not in raw strings, bytes, comments, nor in a raw f-string (where `\N{A B}`
 * is a backslash, an N and a replacement field, and the refusal must stay one).
 */
import { spawnSync } from 'node:child_process';
import type { AdjustFn } from '../../src/eval/index.ts';
import type { PythonExe } from './python-oracle.ts';

/** The shape of a Unicode character name (and of its aliases) as the grammar takes it. */
export const UNICODE_NAME_SHAPE = /^[A-Z][A-Z0-9 -]*$/;
export const UNKNOWN_NAME_REWRITE = 'unknown \\N{…} name';
const KNOWN_NAME = 'BULLET';

/** A `\N{name}` escape: `name` is `text.slice(start, end)`. */
export interface NamedEscape {
  start: number;
  end: number;
  name: string;
}

const PREFIX = /^(?:[rRuUbBfF]|[bB][rR]|[rR][bB]|[fF][rR]|[rR][fF])$/;
const isWordChar = (c: string | undefined): boolean => c !== undefined && (/[A-Za-z0-9_]/.test(c) || c.charCodeAt(0) >= 0x80);

/**
 * The `\N{…}` escapes of a Python text: in strings and f-string text that are not raw and not
 * bytes. A scan of Python's tokens (comments, string prefixes and quotes, f-string replacement
 * fields with nested strings and format specs, PEP 701), not a parse; on text that is not Python
 * it finds what it finds, and an escape it misses is left for the judge to refuse.
 */
export function namedEscapes(src: string): NamedEscape[] {
  const out: NamedEscape[] = [];
  let i = 0;
  const n = src.length;

  /** Code up to the end of the text, or (in a replacement field, just after its `{`) to its end. */
  const code = (field: boolean): void => {
    let depth = 0;
    while (i < n) {
      const c = src[i]!;
      if (c === '#') {
        while (i < n && src[i] !== '\n') i++;
      } else if (c === '"' || c === "'") {
        string('');
      } else if (isWordChar(c)) {
        let j = i;
        while (j < n && isWordChar(src[j])) j++;
        const word = src.slice(i, j);
        i = j;
        if ((src[j] === '"' || src[j] === "'") && PREFIX.test(word)) string(word);
      } else if (c === '\\') {
        i += 2;
      } else if (field && depth === 0 && c === '}') {
        i++;
        return;
      } else if (field && depth === 0 && c === ':') {
        i++;
        spec();
        return;
      } else {
        if (c === '(' || c === '[' || c === '{') depth++;
        else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
        i++;
      }
    }
  };

  /** A format spec, just after its `:`, to the `}` that closes the field. */
  const spec = (): void => {
    while (i < n) {
      const c = src[i]!;
      if (c === '{') {
        i++;
        code(true);
      } else if (c === '}') {
        i++;
        return;
      } else if (c === '\\') {
        i += src[i + 1] === '{' || src[i + 1] === '}' ? 1 : 2;
      } else i++;
    }
  };

  /** A string literal whose prefix was read, at its opening quote. */
  const string = (prefix: string): void => {
    const p = prefix.toLowerCase();
    const raw = p.includes('r');
    const escapes = !raw && !p.includes('b');
    const f = p.includes('f');
    const q = src[i]!;
    const close = src.startsWith(q.repeat(3), i) ? q.repeat(3) : q;
    i += close.length;
    while (i < n) {
      if (src.startsWith(close, i)) {
        i += close.length;
        return;
      }
      const c = src[i]!;
      if (c === '\\') {
        if (escapes && src[i + 1] === 'N' && src[i + 2] === '{') {
          const end = src.indexOf('}', i + 3);
          if (end >= 0) {
            out.push({ start: i + 3, end, name: src.slice(i + 3, end) });
            i = end + 1;
            continue;
          }
        }
        // In an f-string a brace after a backslash is still a brace (`rf"\{x}"`).
        i += f && (src[i + 1] === '{' || src[i + 1] === '}') ? 1 : 2;
      } else if (f && c === '{') {
        if (src[i + 1] === '{') i += 2;
        else {
          i++;
          code(true);
        }
      } else if (f && c === '}' && src[i + 1] === '}') {
        i += 2;
      } else i++;
    }
  };

  code(false);
  return out;
}

/**
 * The rewrite (see the file comment), with `known(name)` saying whether the judge's interpreter
 * knows a name (`unicodeNameLookup`; tests pass a set).
 */
export function adjustPythonForCPython(known: (name: string) => boolean): AdjustFn {
  return (text) => {
    if (!text.includes('\\N{')) return { text, applied: [] };
    const unknown = namedEscapes(text).filter((e) => UNICODE_NAME_SHAPE.test(e.name) && !known(e.name));
    if (unknown.length === 0) return { text, applied: [] };
    let out = text;
    for (const e of unknown.reverse()) out = out.slice(0, e.start) + KNOWN_NAME + out.slice(e.end);
    return { text: out, applied: [UNKNOWN_NAME_REWRITE] };
  };
}

/** Whether `python` knows a character name (`unicodedata.lookup`), asked once per name. */
export function unicodeNameLookup(python: PythonExe): (name: string) => boolean {
  const cache = new Map<string, boolean>();
  return (name) => {
    let v = cache.get(name);
    if (v === undefined) {
      const r = spawnSync(python.exe, ['-c', 'import sys, unicodedata\ntry:\n    unicodedata.lookup(sys.argv[1]); print(1)\nexcept KeyError:\n    print(0)', name], {
        encoding: 'utf8', env: python.env ? { ...process.env, ...python.env } : process.env, timeout: 20_000,
      });
      if (r.status !== 0) throw new Error(`${python.exe}: cannot look up a character name: ${r.stderr || r.error?.message}`);
      v = r.stdout.trim() === '1';
      cache.set(name, v);
    }
    return v;
  };
}
