/**
 * The grammars of programming languages that ship with Ananke, in `grammars/` at the package root
 * (two levels above this file both as source, src/engine/, and compiled, dist/engine/). JavaScript
 * is read with the TypeScript grammar, which accepts it. Each is parsed once per process.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EngineError } from './errors.ts';
import type { Grammar } from './grammar/ir.ts';
import { parseLarkWithJson } from './schema/index.ts';

export const PROGRAM_LANGUAGES = ['typescript', 'javascript', 'python', 'go', 'rust'] as const;
export type ProgramLanguage = (typeof PROGRAM_LANGUAGES)[number];

const FILE: Record<ProgramLanguage, string> = {
  typescript: 'typescript.lark',
  javascript: 'typescript.lark',
  python: 'python.lark',
  go: 'go.lark',
  rust: 'rust.lark',
};

/** Spellings people use for the languages (`ts`, `py`, …), as in `ananke extract --lang`. */
const ALIASES: Record<string, ProgramLanguage> = { ts: 'typescript', js: 'javascript', py: 'python', golang: 'go', rs: 'rust' };

export const GRAMMARS_DIR = fileURLToPath(new URL('../../grammars/', import.meta.url));

export function isProgramLanguage(s: string): s is ProgramLanguage {
  return (PROGRAM_LANGUAGES as readonly string[]).includes(s);
}

/** The language named `spec` (an alias allowed); a GRAMMAR error naming the known ones otherwise. */
export function programLanguage(spec: string): ProgramLanguage {
  const s = spec.trim().toLowerCase();
  const lang = Object.prototype.hasOwnProperty.call(ALIASES, s) ? ALIASES[s]! : s;
  if (!isProgramLanguage(lang)) {
    throw new EngineError('GRAMMAR', `no grammar for the language '${spec}': known are ${PROGRAM_LANGUAGES.join(', ')}`);
  }
  return lang;
}

export function programGrammarPath(lang: ProgramLanguage): string {
  return GRAMMARS_DIR + FILE[lang];
}

/** The Lark text of a language's grammar. */
export function programGrammarText(lang: ProgramLanguage): string {
  return readFileSync(programGrammarPath(lang), 'utf8');
}

const parsed = new Map<ProgramLanguage, Grammar>();

/** The parsed grammar of a language, cached per process (the IR is never mutated after parsing). */
export function loadProgramGrammar(lang: ProgramLanguage): Grammar {
  let g = parsed.get(lang);
  if (!g) {
    g = parseLarkWithJson(programGrammarText(lang));
    parsed.set(lang, g);
  }
  return g;
}
