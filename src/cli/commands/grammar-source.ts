/**
 * Where a grammar command's grammar comes from: a file (Lark, GBNF or one regex, by extension or
 * `--format`), or `--lang L`, the grammar Ananke ships for that programming language.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AnankeError } from '../../core/index.ts';
import {
  EngineError, grammarFromRegex, loadProgramGrammar, parseGbnf, parseLark, programGrammarPath, programLanguage,
  type Grammar, type ProgramLanguage,
} from '../../engine/index.ts';

export type Format = 'lark' | 'gbnf' | 'regex';

export interface LoadedGrammar {
  grammar: Grammar;
  /** The file it was read from (the shipped grammar's path for --lang). */
  file: string;
  format: Format;
  lang?: ProgramLanguage;
  /** Parse time, milliseconds. */
  parseMs: number;
}

export function guessFormat(file: string, given?: string): Format {
  if (given !== undefined) {
    if (given === 'lark' || given === 'gbnf' || given === 'regex') return given;
    throw new AnankeError('USAGE', `--format must be lark, gbnf or regex, not '${given}'`);
  }
  const ext = path.extname(file).toLowerCase();
  if (ext === '.gbnf') return 'gbnf';
  if (ext === '.regex' || ext === '.re') return 'regex';
  return 'lark';
}

function parseGrammar(text: string, format: Format): Grammar {
  switch (format) {
    case 'lark':
      return parseLark(text);
    case 'gbnf':
      return parseGbnf(text);
    case 'regex':
      // A regex file holds one pattern; a final newline is not part of it.
      return grammarFromRegex(text.replace(/\r?\n$/, ''));
  }
}

/** `--lang` as a USAGE error (not a grammar error) when the language is unknown. */
export function languageOption(spec: string): ProgramLanguage {
  try {
    return programLanguage(spec);
  } catch (e) {
    throw new AnankeError('USAGE', `--lang: ${(e as Error).message}`);
  }
}

export function loadGrammarFile(file: string, format?: string): LoadedGrammar {
  if (!existsSync(file)) throw new AnankeError('NOT_FOUND', `grammar file not found: ${file}`);
  const f = guessFormat(file, format);
  const t0 = performance.now();
  try {
    return { grammar: parseGrammar(readFileSync(file, 'utf8'), f), file, format: f, parseMs: performance.now() - t0 };
  } catch (e) {
    // Grammar errors carry their line and column; name the file too.
    if (e instanceof EngineError) throw new EngineError(e.code, `${file}: ${e.message}`);
    throw e;
  }
}

export function loadLanguageGrammar(spec: string): LoadedGrammar {
  const lang = languageOption(spec);
  const file = programGrammarPath(lang);
  if (!existsSync(file)) throw new AnankeError('UNSUPPORTED', `the ${lang} grammar is not in this installation (${file} is missing)`);
  const t0 = performance.now();
  return { grammar: loadProgramGrammar(lang), file, format: 'lark', lang, parseMs: performance.now() - t0 };
}
