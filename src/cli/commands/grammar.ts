import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AnankeError, EXIT, round2 as round, summarize } from '../../core/index.ts';
import {
  compile,
  EngineError,
  grammarFromRegex,
  loadTokenizer,
  parseGbnf,
  parseLark,
  byteTokenizer,
  type CheckResult,
  type CompiledGrammar,
  type Grammar,
} from '../../engine/index.ts';


type Format = 'lark' | 'gbnf' | 'regex';

interface CheckOptions {
  format?: string;
  text?: string;
  stdin?: boolean;
  tokenizer?: string;
  json?: boolean;
}

interface TokenReport {
  tokenizer: string;
  count: number;
  consumed: number;
  /** Index of the first token the grammar refused, if any. */
  rejectedAt?: number;
  /** The end-of-sequence token was allowed after the last token. */
  eosAllowed: boolean;
  accepted: boolean;
  perTokenUs: number[];
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
}

/** `ananke grammar check`: compile a grammar and, given text, say whether and where it matches. */
export function configure(grammar: Command): void {
  grammar
    .command('check')
    .description('Compile a grammar and report errors; with text, say whether it is accepted and where it fails.')
    .argument('<grammar-file>', 'grammar file (.lark, .gbnf or .regex)')
    .option('--format <format>', 'grammar syntax: lark, gbnf or regex (default: from the file extension)')
    .option('--text <file>', 'check the contents of this file')
    .option('--stdin', 'check text read from standard input')
    .option('--tokenizer <name>', 'also match token by token with this vocabulary (llama3, qwen3 or a tokenizer.json path) and time each mask')
    .option('--json', 'print a JSON report')
    .addHelpText('after', `
Examples:
  $ ananke grammar check grammars/json.lark                         compile only
  $ ananke grammar check grammars/json.lark --text doc.json --tokenizer llama3
  $ echo '1+2*3' | ananke grammar check grammars/arithmetic.lark --stdin --json

Exit status: 0 accepted (or compiles, without text), 1 rejected, 2 grammar, tokenizer or usage error,
3 file not found, 5 a limit exceeded.`)
    .action((file: string, opts: CheckOptions) => {
      process.exitCode = runCheck(file, opts);
    });
}

function guessFormat(file: string, given?: string): Format {
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


function runTokens(cg: CompiledGrammar, text: string): TokenReport {
  const tok = cg.tokenizer;
  const ids = tok.encode(text);
  const m = cg.matcher();
  const bits = new Uint32Array(cg.maskWords);
  const times: number[] = [];
  let rejectedAt: number | undefined;
  let consumed = 0;
  for (let i = 0; i < ids.length; i++) {
    const t0 = process.hrtime.bigint();
    m.computeMask(bits);
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
    const id = ids[i]!;
    const allowed = ((bits[id >>> 5]! >>> (id & 31)) & 1) === 1;
    if (!allowed || !m.consume(id)) {
      rejectedAt = i;
      break;
    }
    consumed++;
  }
  let eosAllowed = false;
  if (rejectedAt === undefined) {
    const t0 = process.hrtime.bigint();
    m.computeMask(bits);
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
    for (const e of tok.eosTokens) if ((bits[e >>> 5]! >>> (e & 31)) & 1) eosAllowed = true;
  }
  const t = summarize(times);
  const out: TokenReport = {
    tokenizer: tok.name,
    count: ids.length,
    consumed,
    eosAllowed,
    accepted: rejectedAt === undefined && eosAllowed,
    perTokenUs: times.map(round),
    p50Us: round(t.p50),
    p90Us: round(t.p90),
    p99Us: round(t.p99),
    maxUs: round(t.max),
  };
  if (rejectedAt !== undefined) out.rejectedAt = rejectedAt;
  return out;
}

/** The failing line with a caret under the failing column. */
function excerpt(text: string, r: CheckResult): string {
  if (r.line === undefined || r.column === undefined) return '';
  const line = text.split('\n')[r.line - 1] ?? '';
  const shown = line.length > 160 ? line.slice(0, 160) + '…' : line;
  const gutter = String(r.line);
  return `  ${gutter} | ${shown}\n  ${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, r.column - 1))}^\n`;
}

function runCheck(file: string, opts: CheckOptions): number {
  if (opts.text !== undefined && opts.stdin) throw new AnankeError('USAGE', 'give either --text FILE or --stdin, not both');
  if (!existsSync(file)) throw new AnankeError('NOT_FOUND', `grammar file not found: ${file}`);
  const format = guessFormat(file, opts.format);
  const source = readFileSync(file, 'utf8');
  let text: string | undefined;
  if (opts.text !== undefined) {
    if (!existsSync(opts.text)) throw new AnankeError('NOT_FOUND', `text file not found: ${opts.text}`);
    text = readFileSync(opts.text, 'utf8');
  } else if (opts.stdin) text = readFileSync(0, 'utf8');

  const t0 = process.hrtime.bigint();
  let grammar: Grammar;
  try {
    grammar = parseGrammar(source, format);
  } catch (e) {
    if (e instanceof EngineError) {
      // Grammar errors carry their line and column; name the file too.
      throw new EngineError(e.code, `${file}: ${e.message}`);
    }
    throw e;
  }
  const tokenizer = opts.tokenizer !== undefined ? loadTokenizer(opts.tokenizer) : byteTokenizer();
  const cg = compile(grammar, tokenizer);
  const compileMs = Number(process.hrtime.bigint() - t0) / 1e6;

  const report: Record<string, unknown> = {
    grammar: { file, format, lexemes: grammar.lexemes.length, rules: grammar.rules.length, compileMs: round(compileMs) },
  };
  let status: number = EXIT.OK;
  let human = `grammar OK: ${file} (${format}; ${grammar.lexemes.length} lexemes, ${grammar.rules.length} rules; compiled in ${compileMs.toFixed(1)} ms)\n`;
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
      const t = runTokens(cg, text);
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
