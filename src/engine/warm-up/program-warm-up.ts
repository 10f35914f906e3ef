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
 * a long generation session); it costs 0.5–3.5 s per grammar and vocabulary, and no later mask's
 * answer depends on it (a cache only changes how fast a mask comes).
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { CompiledGrammar } from '../matcher/compiled.ts';
import { GRAMMARS_DIR, type ProgramLanguage } from '../program-grammars.ts';
import type { TokenMatcher } from '../matcher/matcher.ts';
import type { Regex } from '../regex/ast.ts';
import { walkText, type AtPosition } from './walk-text.ts';

/** Where each language's texts are (JavaScript is read with the TypeScript grammar: its texts too). */
const TEXTS_DIR: Record<ProgramLanguage, string> = {
  typescript: 'typescript',
  javascript: 'typescript',
  python: 'python',
  go: 'go',
  rust: 'rust',
};

/**
 * Identifier prefixes are tried at the first this-many lexer positions where the texts start an
 * identifier (they come in the order code uses them: 20 took a warmed TypeScript grammar's walks
 * over 20,000 tokens of other code from 55 to 24, in 0.1–0.3 s; 180, all of them, to 16 in 2 s;
 * with the texts as they are now, 24 → 48 took them from 15 to 10 and Rust's from 34 to 30, for
 * 0.1–0.2 s more, and 96 gave 9 and 29).
 */
const PREFIX_POSITIONS = 48;
/** Default bound on a warm-up's wall time; the texts take 0.5–3.5 s on a 2-core machine. */
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
  /** Lexer positions where identifier prefixes were tried, and the prefix tokens read there. */
  prefixPositions: number;
  prefixTokens: number;
}

/** The warm-up texts of a language, by file name: `{ name, text }`, in name order. */
export function programWarmUpTexts(lang: ProgramLanguage): Array<{ name: string; text: string }> {
  const dir = `${GRAMMARS_DIR}warm-up/${TEXTS_DIR[lang]}/`;
  let names: string[];
  try {
    // Files only: a cache folder beside them (Python's __pycache__ after a py_compile) is not a text.
    names = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.name).sort();
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
  const report: ProgramWarmUpReport = { lang, ms: 0, texts: 0, total: texts.length, masks: 0, refused: 0, cut: false, prefixPositions: 0, prefixTokens: 0 };
  const at = prefixExplorer(grammar, report, started + maxMs);
  for (const { text } of texts) {
    if (performance.now() >= started + maxMs) {
      report.cut = true;
      break;
    }
    report.texts++;
    const w = walkText(grammar, text, bits, started + maxMs, at);
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

/**
 * Inside an identifier, every prefix of a keyword is a lexer state of its own (after `re`, `return`
 * and `readonly` are still alive; after `rx`, nothing but the identifier), and each costs a trie
 * walk the first time a mask is asked there (0.5–2 ms). Code people write reaches a few hundred of
 * them, more than any few texts do. So at the first PREFIX_POSITIONS lexer positions where a text
 * starts an identifier, each token that spells a keyword's prefix (after at most one space or tab)
 * and that the mask allows is read, its mask computed, and the token rolled back.
 */
function prefixExplorer(grammar: CompiledGrammar, report: ProgramWarmUpReport, deadline: number): AtPosition {
  const { identifier, prefixes } = prefixTokens(grammar);
  const seen = new Set<number>();
  let scratch: Uint32Array | null = null;
  return (m: TokenMatcher, bits: Uint32Array, next: number) => {
    if (seen.size >= PREFIX_POSITIONS || identifier[next] !== 1) return;
    const pos = m.lexerPosition;
    if (seen.has(pos) || performance.now() >= deadline) return;
    seen.add(pos);
    report.prefixPositions++;
    scratch ??= new Uint32Array(grammar.maskWords);
    for (let k = 0; k < prefixes.length; k++) {
      const t = prefixes[k]!;
      if ((bits[t >>> 5]! & (1 << (t & 31))) === 0 || !m.consume(t)) continue;
      try {
        m.computeMask(scratch);
      } catch {
        // A limit of the grammar's: no more prefixes here (the text's walk goes on).
        break;
      } finally {
        m.rollback(1);
      }
      report.prefixTokens++;
    }
  };
}

/** An identifier's bytes, after at most one leading space or tab (Go's statements start with `\tif`). */
const IDENTIFIER = /^[ \t]?([A-Za-z_$][A-Za-z0-9_$]*)$/;

/**
 * The vocabulary's identifier tokens (1 per token id), and those whose identifier is a prefix of
 * one of the grammar's keywords, the keyword itself included. A keyword is the word a lexeme's
 * regex starts with, letter by letter (`"return"`, and Go's `FUNC_W: "func" _GAP1` alike).
 */
function prefixTokens(grammar: CompiledGrammar): { identifier: Uint8Array; prefixes: number[] } {
  const words = new Set<string>();
  for (const lx of grammar.grammar.lexemes) {
    const word = leadingWord(lx.regex);
    if (word.length < 2) continue;
    for (let i = 1; i <= word.length; i++) words.add(word.slice(0, i));
  }
  const tok = grammar.tokenizer;
  const identifier = new Uint8Array(tok.vocabSize);
  const prefixes: number[] = [];
  const latin1 = new TextDecoder('latin1');
  for (let id = 0; id < tok.vocabSize; id++) {
    const bytes = tok.tokenBytes(id);
    if (bytes.length === 0 || bytes.length > 64) continue;
    const m = IDENTIFIER.exec(latin1.decode(bytes));
    if (m === null) continue;
    identifier[id] = 1;
    if (words.has(m[1]!)) prefixes.push(id);
  }
  return { identifier, prefixes };
}

/** The ASCII letters (and `_`) a regex starts with, one fixed character after another. */
function leadingWord(re: Regex): string {
  let word = '';
  const visit = (r: Regex): boolean => {
    if (r.kind === 'concat') {
      for (const item of r.items) if (!visit(item)) return false;
      return true;
    }
    if (r.kind === 'chars' && r.ranges.length === 1 && r.ranges[0]![0] === r.ranges[0]![1]) {
      const c = String.fromCharCode(r.ranges[0]![0]);
      if (/[A-Za-z_]/.test(c) || (word.length > 0 && /[0-9]/.test(c))) {
        word += c;
        return true;
      }
    }
    return false;
  };
  visit(re);
  return word;
}
