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
}

/**
 * Indentation levels the portable expansion tells apart. The engine's own default is 6; the Python
 * standard library nests deeper (95 of its 734 files need 7–10 levels), so the CLI prints 10.
 */
const CLI_INDENT_LEVELS = '10';

export function configure(print: Command): void {
  print
    .description('Print a grammar as a server receives it: Lark (llguidance: vLLM, SGLang, llama.cpp) or GBNF (XGrammar, llama.cpp).')
    .argument('[grammar-file]', 'a grammar file (.lark, .gbnf or .regex); or --lang')
    .option('--lang <language>', 'print the grammar Ananke ships for typescript, javascript, python, go or rust')
    .option('--input <format>', 'syntax of the grammar file: lark, gbnf or regex (default: from the file extension)')
    .option('--format <format>', 'output: lark or gbnf', 'lark')
    .option('--portable', 'expand indentation into plain rules and drop engine-only features (lexeme fallback, gap markers), for servers without them; GBNF is always portable')
    .option('--indent-levels <n>', 'block nesting the portable expansion tells apart (deeper blocks are refused by the printed grammar; each level adds rule copies)', CLI_INDENT_LEVELS)
    .addHelpText('after', `
Examples:
  $ ananke grammar print --lang python --portable > python.lark    for a vLLM or SGLang request
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
  if (!/^\d+$/.test(opts.indentLevels) || Number(opts.indentLevels) < 1 || Number(opts.indentLevels) > 64) {
    throw new AnankeError('USAGE', `--indent-levels must be a whole number from 1 to 64, not '${opts.indentLevels}'`);
  }
  const portable = { indentLevels: Number(opts.indentLevels) };
  const { grammar } = opts.lang !== undefined ? loadLanguageGrammar(opts.lang) : loadGrammarFile(file!, opts.input);
  let text: string;
  if (opts.format === 'lark') text = printLark(grammar, opts.portable ? { portable } : {});
  // GBNF has no indentation or gap markers: the portable expansion first, then GBNF.
  else text = printGbnf(portableGrammar(grammar, portable));
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  return EXIT.OK;
}
