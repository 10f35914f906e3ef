/**
 * `ananke grammar check`: compile a grammar (a file, or `--lang L` for a shipped program grammar)
 * and check texts against it. One text (`--text FILE` / `--stdin`) gives the detailed report;
 * source files as arguments give one line (or JSON entry) per file and a count, for checking whole
 * code bases against a language's grammar.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { AnankeError, EXIT, round2 as round } from '../../core/index.ts';
import { byteTokenizer, compile, EngineError, loadTokenizer, prepareTokenizer, warmUpProgram, type CheckResult, type CompiledGrammar } from '../../engine/index.ts';
import { walkTokens } from '../../eval/index.ts';
import { parseSize } from '../parse-size.ts';
import { loadGrammarFile, loadLanguageGrammar, type LoadedGrammar } from './grammar-source.ts';

interface CheckOptions {
  format?: string;
  lang?: string;
  text?: string;
  stdin?: boolean;
  tokenizer?: string;
  warmUp?: boolean;
  maxFileSize: string;
  json?: boolean;
}

/** Source files larger than this are refused unchecked by default (a huge file is not code to check). */
const DEFAULT_MAX_FILE_SIZE = '1m';

export function configure(check: Command): void {
  check
    .description('Compile a grammar; check texts or source files against it and say where each fails.')
    .argument('[grammar-and-files...]', 'a grammar file (.lark, .gbnf or .regex) then source files to check; with --lang, only source files')
    .option('--lang <language>', 'use the grammar Ananke ships for typescript, javascript, python, go or rust')
    .option('--format <format>', 'grammar syntax: lark, gbnf or regex (default: from the file extension)')
    .option('--text <file>', 'check the contents of this file (detailed report)')
    .option('--stdin', 'check text read from standard input (detailed report)')
    .option('--tokenizer <name>', 'also match token by token with this vocabulary (llama3, qwen3 or a tokenizer.json path) and time each mask')
    .option('--warm-up', 'with --lang and --tokenizer: first walk the language\'s warm-up texts (grammars/warm-up/), so the timings are those of a grammar kept warm, as in a server')
    .option('--max-file-size <size>', 'refuse source files bigger than this, e.g. 500k or 2m', DEFAULT_MAX_FILE_SIZE)
    .option('--json', 'print a JSON report')
    .addHelpText('after', `
Examples:
  $ ananke grammar check grammars/json.lark                         compile only
  $ ananke grammar check grammars/json.lark --text doc.json --tokenizer llama3
  $ echo '1+2*3' | ananke grammar check grammars/arithmetic.lark --stdin --json
  $ ananke grammar check --lang python lib/*.py                     whole files against the Python grammar
  $ ananke grammar check --lang go --tokenizer llama3 --warm-up *.go  mask times of a warmed grammar

Exit status: 0 accepted (or compiles, without text), 1 some text rejected, 2 grammar, tokenizer or
usage error, 3 a file not found, 5 a limit exceeded.`)
    .action((args: string[], opts: CheckOptions) => {
      process.exitCode = runCheck(args, opts);
    });
}

function runCheck(args: string[], opts: CheckOptions): number {
  if (opts.text !== undefined && opts.stdin) throw new AnankeError('USAGE', 'give either --text FILE or --stdin, not both');
  if (opts.lang !== undefined && opts.format !== undefined) throw new AnankeError('USAGE', '--format applies to a grammar file, not to --lang');
  let loaded: LoadedGrammar;
  let files: string[];
  if (opts.lang !== undefined) {
    loaded = loadLanguageGrammar(opts.lang);
    files = args;
  } else {
    const [grammarFile, ...rest] = args;
    if (grammarFile === undefined) throw new AnankeError('USAGE', 'give a grammar file, or --lang LANGUAGE');
    loaded = loadGrammarFile(grammarFile, opts.format);
    files = rest;
  }
  if (files.length > 0 && (opts.text !== undefined || opts.stdin)) {
    throw new AnankeError('USAGE', 'give source files as arguments, or one text with --text/--stdin, not both');
  }
  if (opts.warmUp && (opts.lang === undefined || opts.tokenizer === undefined)) {
    throw new AnankeError('USAGE', '--warm-up needs --lang (the warm-up texts are per language) and --tokenizer (it warms masks)');
  }
  const maxBytes = parseSize('--max-file-size', opts.maxFileSize);
  // The tokenizer's load and preparation (its token trie and slices) are timed apart: they are paid
  // once per process, not per grammar.
  const tl = performance.now();
  const tokenizer = opts.tokenizer !== undefined ? loadTokenizer(opts.tokenizer) : byteTokenizer();
  if (opts.tokenizer !== undefined) prepareTokenizer(tokenizer);
  const tokenizerMs = performance.now() - tl;
  const t0 = performance.now();
  const cg = compile(loaded.grammar, tokenizer);
  const compileMs = loaded.parseMs + performance.now() - t0;
  const g = loaded.grammar;
  const grammarReport = {
    file: loaded.file, format: loaded.format, ...(loaded.lang ? { lang: loaded.lang } : {}),
    lexemes: g.lexemes.length, rules: g.rules.length, compileMs: round(compileMs),
    ...(opts.tokenizer !== undefined ? { tokenizerMs: round(tokenizerMs) } : {}),
  };
  let head = `grammar OK: ${loaded.file} (${loaded.lang ?? loaded.format}; ${g.lexemes.length} lexemes, ${g.rules.length} rules; compiled in ${compileMs.toFixed(1)} ms${opts.tokenizer !== undefined ? `, tokenizer loaded and prepared in ${tokenizerMs.toFixed(0)} ms` : ''})\n`;
  if (opts.warmUp && loaded.lang !== undefined) {
    const w = warmUpProgram(cg, loaded.lang);
    Object.assign(grammarReport, { warmUp: { texts: w.texts, masks: w.masks, refused: w.refused, prefixTokens: w.prefixTokens, ms: round(w.ms) } });
    head += `warmed up on ${w.texts} texts (${w.masks} masks, ${w.prefixTokens} keyword-prefix tokens) in ${w.ms.toFixed(0)} ms\n`;
  }
  if (files.length > 0) return checkFiles(cg, files, maxBytes, opts, grammarReport, head);

  let text: string | undefined;
  if (opts.text !== undefined) {
    if (!existsSync(opts.text)) throw new AnankeError('NOT_FOUND', `text file not found: ${opts.text}`);
    text = readFileSync(opts.text, 'utf8');
  } else if (opts.stdin) text = readFileSync(0, 'utf8');
  const report: Record<string, unknown> = { grammar: grammarReport };
  let status: number = EXIT.OK;
  let human = head;
  if (text !== undefined) {
    const r = cg.check(text);
    const bytes = Buffer.byteLength(text, 'utf8');
    report['text'] = { bytes, ...r };
    if (r.accepted) human += `accepted (${bytes} bytes)\n`;
    else {
      status = EXIT.NO;
      human += `rejected: ${r.message}\n${excerpt(text, r)}`;
    }
    if (opts.tokenizer !== undefined) {
      const t = walkTokens(cg, text);
      report['tokens'] = t;
      human += `token by token (${t.tokenizer}): ${t.accepted ? 'accepted' : t.rejectedAt !== undefined ? `token ${t.rejectedAt} refused` : 'end of sequence not allowed'}; ${t.count} tokens, mask p50 ${t.p50Us} µs, p99 ${t.p99Us} µs, max ${t.maxUs} µs\n`;
      // Byte-level and token-level acceptance agree by construction (the matcher's law).
      if (!t.accepted) status = EXIT.NO;
    }
    report['accepted'] = status === EXIT.OK;
  }
  process.stdout.write(opts.json ? JSON.stringify(report, null, 2) + '\n' : human);
  return status;
}

interface FileReport {
  path: string;
  accepted: boolean;
  bytes?: number;
  line?: number;
  column?: number;
  expected?: string[];
  message?: string;
  /** The file could not be checked at all (missing, binary, too large, not UTF-8, a limit). */
  error?: string;
  tokens?: { count: number; p50Us: number; p90Us: number; p99Us: number; maxUs: number };
}

/** Reads a source file, or says why it cannot be checked. */
function readSource(file: string, maxBytes: number): { text: string } | { error: string; missing?: boolean } {
  if (!existsSync(file)) return { error: 'not found', missing: true };
  const st = statSync(file);
  if (!st.isFile()) return { error: 'not a regular file' };
  if (st.size > maxBytes) return { error: `${st.size} bytes, over --max-file-size (${maxBytes})` };
  const bytes = readFileSync(file);
  if (bytes.includes(0)) return { error: 'binary file (contains NUL bytes)' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { error: 'not valid UTF-8' };
  }
}

function checkFiles(cg: CompiledGrammar, files: string[], maxBytes: number, opts: CheckOptions, grammar: object, head: string): number {
  const reports: FileReport[] = [];
  let missing = false;
  let human = head;
  for (const file of files) {
    const src = readSource(file, maxBytes);
    let rep: FileReport;
    if ('error' in src) {
      missing ||= src.missing === true;
      rep = { path: file, accepted: false, error: src.error };
      human += `ERROR ${file}: ${src.error}\n`;
    } else {
      rep = checkOne(cg, file, src.text, opts.tokenizer !== undefined);
      human += rep.accepted
        ? `ok    ${file}${rep.tokens ? ` (${rep.tokens.count} tokens, mask p50 ${rep.tokens.p50Us} µs, p99 ${rep.tokens.p99Us} µs)` : ''}\n`
        : rep.error !== undefined ? `ERROR ${file}: ${rep.error}\n` : `FAIL  ${file}:${rep.line}:${rep.column}: ${rep.message}\n${excerpt(src.text, rep as CheckResult)}`;
    }
    reports.push(rep);
  }
  const accepted = reports.filter((r) => r.accepted).length;
  human += `${accepted} of ${reports.length} files accepted\n`;
  process.stdout.write(opts.json ? JSON.stringify({ grammar, files: reports, accepted, total: reports.length }, null, 2) + '\n' : human);
  if (missing) return EXIT.NOT_FOUND;
  return accepted === reports.length ? EXIT.OK : EXIT.NO;
}

/** One file; a limit hit while checking it is that file's error, never the end of the run. */
function checkOne(cg: CompiledGrammar, file: string, text: string, withTokens: boolean): FileReport {
  const bytes = Buffer.byteLength(text, 'utf8');
  try {
    const r = cg.check(text);
    const rep: FileReport = { path: file, accepted: r.accepted, bytes };
    if (!r.accepted) Object.assign(rep, { line: r.line, column: r.column, expected: r.expected, message: r.message });
    if (withTokens && r.accepted) {
      const t = walkTokens(cg, text);
      rep.tokens = { count: t.count, p50Us: t.p50Us, p90Us: t.p90Us, p99Us: t.p99Us, maxUs: t.maxUs };
      // Byte-level and token-level acceptance agree by the matcher's law; a disagreement is a bug
      // to report, never a silent pass.
      if (!t.accepted) {
        rep.accepted = false;
        rep.error = t.rejectedAt !== undefined
          ? `accepted byte by byte, but token ${t.rejectedAt} of ${t.count} was refused (an engine error: please report it)`
          : 'accepted byte by byte, but the end of sequence was refused token by token (an engine error: please report it)';
      }
    }
    return rep;
  } catch (e) {
    if (e instanceof EngineError && e.code === 'LIMIT') return { path: file, accepted: false, bytes, error: e.message };
    throw e;
  }
}

/** The failing line with a caret under the failing column. */
function excerpt(text: string, r: CheckResult): string {
  if (r.line === undefined || r.column === undefined) return '';
  const line = text.split('\n')[r.line - 1] ?? '';
  const shown = line.length > 160 ? line.slice(0, 160) + '…' : line;
  const gutter = String(r.line);
  return `  ${gutter} | ${shown}\n  ${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, r.column - 1))}^\n`;
}
