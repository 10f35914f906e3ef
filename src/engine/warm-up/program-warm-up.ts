/**
 * The warm-up of a compiled program grammar (typescript.lark, python.lark, go.lark, rust.lark):
 * walk, token by token, a few files of ordinary code written for Ananke (grammars/warm-up/<lang>/,
 * 40–70 KB per language, none from a benchmark corpus), so that the grammar's caches hold the lexer
 * states and parser contexts common code meets before the first real request does.
 *
 * Why: a fresh program grammar pays for each new lexer state once (a trie walk of 0.3–40 ms) and
 * for each new parser context once (parser pushes); over the first ~20,000 masks of real code that
 * is about 2% of the masks, which set the 99th percentile. Those caches live in one compiled
 * grammar, so this is for a process that compiles a shipped grammar once and keeps it (a server,
 * a long generation session); it costs 0.5–3 s per grammar and vocabulary, and no later mask's
 * answer depends on it (a cache only changes how fast a mask comes).
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { CompiledGrammar } from '../matcher/compiled.ts';
import { GRAMMARS_DIR, type ProgramLanguage } from '../program-grammars.ts';
import { walkText } from './walk-text.ts';

/** Where each language's texts are (JavaScript is read with the TypeScript grammar: its texts too). */
const TEXTS_DIR: Record<ProgramLanguage, string> = {
  typescript: 'typescript',
  javascript: 'typescript',
  python: 'python',
  go: 'go',
  rust: 'rust',
};

/** Default bound on a warm-up's wall time; the texts take 0.5–3 s on a 2-core machine. */
export const DEFAULT_PROGRAM_WARM_UP_MS = 10_000;

export interface ProgramWarmUpOptions {
  /** Stop after this many milliseconds (default DEFAULT_PROGRAM_WARM_UP_MS), at a mask boundary. */
  maxMs?: number;
}

export interface ProgramWarmUpReport {
  lang: ProgramLanguage;
  ms: number;
  /** Texts walked (to their end, to a refused token, or to the cut), of the language's `total`. */
  texts: number;
  total: number;
  masks: number;
  /** Texts whose walk stopped at a refused token or a limit (0 with the shipped grammar). */
  refused: number;
  /** True when maxMs ended the warm-up before the last text. */
  cut: boolean;
}

/** The warm-up texts of a language, by file name: `{ name, text }`, in name order. */
export function programWarmUpTexts(lang: ProgramLanguage): Array<{ name: string; text: string }> {
  const dir = `${GRAMMARS_DIR}warm-up/${TEXTS_DIR[lang]}/`;
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => !n.startsWith('.')).sort();
  } catch {
    return [];
  }
  return names.map((name) => ({ name, text: readFileSync(dir + name, 'utf8') }));
}

/**
 * Walks the language's warm-up texts through `grammar` (a compiled program grammar of `lang`) with
 * one matcher per text: a mask, then the text's token, until the text ends or a token is refused.
 * Never throws for what the grammar does with the texts: a refusal or a limit ends that text and is
 * counted. Given another grammar, most texts stop at their first tokens and it warms little.
 */
export function warmUpProgram(grammar: CompiledGrammar, lang: ProgramLanguage, opts: ProgramWarmUpOptions = {}): ProgramWarmUpReport {
  const started = performance.now();
  const maxMs = opts.maxMs ?? DEFAULT_PROGRAM_WARM_UP_MS;
  const texts = programWarmUpTexts(lang);
  const bits = new Uint32Array(grammar.maskWords);
  const report: ProgramWarmUpReport = { lang, ms: 0, texts: 0, total: texts.length, masks: 0, refused: 0, cut: false };
  for (const { text } of texts) {
    if (performance.now() >= started + maxMs) {
      report.cut = true;
      break;
    }
    report.texts++;
    const w = walkText(grammar, text, bits, started + maxMs);
    report.masks += w.masks;
    if (w.refused) report.refused++;
    if (w.cut) {
      report.cut = true;
      break;
    }
  }
  report.ms = performance.now() - started;
  return report;
}
