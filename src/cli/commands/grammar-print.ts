/**
 * `ananke grammar print`: a grammar as a server receives it: Lark for llguidance-based servers
 * (vLLM, SGLang, llama.cpp built with llguidance), optionally `--portable` (engine-only features
 * expanded or dropped), or GBNF for XGrammar and plain llama.cpp.
 */
import type { Command } from 'commander';
import { AnankeError, EXIT } from '../../core/index.ts';
import { portableGrammar, printGbnf, printLark } from '../../engine/index.ts';
import { loadGrammarFile, loadLanguageGrammar } from './grammar-source.ts';

interface PrintOptions {
  lang?: string;
  format: string;
  input?: string;
  portable?: boolean;
  indentLevels: string;
  indentUnits: string;
}

/**
 * Indentation levels the portable expansion tells apart. The engine's own default is 6; the Python
 * standard library nests deeper (95 of its 734 files need 7–10 levels), so the CLI prints 10.
 */
const CLI_INDENT_LEVELS = '10';
/** The units the expansion tells apart, one copy of the block rules each: PEP 8's four spaces, two spaces, a tab. */
const CLI_INDENT_UNITS = '4,2,tab';

/**
 * `--indent-units`: a comma-separated list of `tab` or a number of spaces (1–16). Each unit adds a
 * copy of the block rules, so a codebase with one style prints a grammar a third of the size.
 */
function parseIndentUnits(list: string): string[] {
  const units: string[] = [];
  for (const item of list.split(',').map((x) => x.trim())) {
    const unit = item === 'tab' ? '\t' : /^\d+$/.test(item) && Number(item) >= 1 && Number(item) <= 16 ? ' '.repeat(Number(item)) : null;
    if (unit === null) throw new AnankeError('USAGE', `--indent-units takes 'tab' or a number of spaces from 1 to 16, comma-separated, not '${item}'`);
    if (units.includes(unit)) throw new AnankeError('USAGE', `--indent-units names '${item}' twice`);
    units.push(unit);
  }
  return units;
}

export function configure(print: Command): void {
  print
    .description('Print a grammar as a server receives it: Lark (llguidance: vLLM, SGLang, llama.cpp) or GBNF (XGrammar, llama.cpp).')
    .argument('[grammar-file]', 'a grammar file (.lark, .gbnf or .regex); or --lang')
    .option('--lang <language>', 'print the grammar Ananke ships for typescript, javascript, python, go or rust')
    .option('--input <format>', 'syntax of the grammar file: lark, gbnf or regex (default: from the file extension)')
    .option('--format <format>', 'output: lark or gbnf', 'lark')
    .option('--portable', 'expand indentation into plain rules and drop engine-only features (lexeme fallback, gap markers), for servers without them; GBNF is always portable')
    .option('--indent-levels <n>', 'block nesting the portable expansion tells apart, 1 to 32 (deeper blocks are refused by the printed grammar; each level adds rule copies)', CLI_INDENT_LEVELS)
    .option('--indent-units <list>', "indentation units the portable expansion accepts, comma-separated: 'tab' or a number of spaces (each adds a copy of the block rules; '4' alone prints a third of the size)", CLI_INDENT_UNITS)
    .addHelpText('after', `
Examples:
  $ ananke grammar print --lang python --portable > python.lark    for a vLLM or SGLang request
  $ ananke grammar print --lang python --portable --indent-units 4  a codebase indented by 4 spaces only
  $ ananke grammar print --lang go --format gbnf > go.gbnf          for XGrammar or llama.cpp

Exit status: 0 printed, 2 grammar or usage error (a construct GBNF cannot express is named), 3 file not found.`)
    .action((file: string | undefined, opts: PrintOptions) => {
      process.exitCode = runPrint(file, opts);
    });
}

function runPrint(file: string | undefined, opts: PrintOptions): number {
  if (opts.format !== 'lark' && opts.format !== 'gbnf') throw new AnankeError('USAGE', `--format must be lark or gbnf, not '${opts.format}'`);
  if (opts.lang !== undefined && file !== undefined) throw new AnankeError('USAGE', 'give a grammar file or --lang, not both');
  if (opts.lang === undefined && file === undefined) throw new AnankeError('USAGE', 'give a grammar file, or --lang LANGUAGE');
  if (!/^\d+$/.test(opts.indentLevels) || Number(opts.indentLevels) < 1 || Number(opts.indentLevels) > 32) {
    throw new AnankeError('USAGE', `--indent-levels must be a whole number from 1 to 32, not '${opts.indentLevels}'`);
  }
  const portable = { indentLevels: Number(opts.indentLevels), indentUnits: parseIndentUnits(opts.indentUnits) };
  const { grammar } = opts.lang !== undefined ? loadLanguageGrammar(opts.lang) : loadGrammarFile(file!, opts.input);
  let text: string;
  if (opts.format === 'lark') text = printLark(grammar, opts.portable ? { portable } : {});
  // GBNF has no indentation or gap markers: the portable expansion first, then GBNF.
  else text = printGbnf(portableGrammar(grammar, portable));
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  return EXIT.OK;
}
