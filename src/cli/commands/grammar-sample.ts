/**
 * `ananke grammar sample`: random texts a grammar accepts (each verified by the compiled grammar),
 * for looking at what a grammar allows and for soundness checks against a real parser.
 */
import type { Command } from 'commander';
import { AnankeError, EXIT } from '../../core/index.ts';
import { grammarSampler } from '../../engine/index.ts';
import { loadGrammarFile, loadLanguageGrammar } from './grammar-source.ts';

interface SampleOptions {
  lang?: string;
  format?: string;
  n: string;
  seed: string;
  maxDepth?: string;
  maxBytes?: string;
  json?: boolean;
}

export function configure(sample: Command): void {
  sample
    .description('Write random texts that a grammar accepts (each checked by the compiled grammar).')
    .argument('[grammar-file]', 'a grammar file (.lark, .gbnf or .regex); or --lang')
    .option('--lang <language>', 'sample the grammar Ananke ships for typescript, javascript, python, go or rust')
    .option('--format <format>', 'grammar syntax: lark, gbnf or regex (default: from the file extension)')
    .option('-n <count>', 'how many texts', '5')
    .option('--seed <s>', 'seed of the first text; text i uses seed + i, so any one reproduces alone', '1')
    .option('--max-depth <d>', 'rule nesting past which the shortest alternatives are taken (default: 24)')
    .option('--max-bytes <b>', 'soft size of a text: past it, the shortest alternatives are taken (default: 2000)')
    .option('--json', 'print { samples: [text, …], stats }')
    .addHelpText('after', `
Examples:
  $ ananke grammar sample grammars/arithmetic.lark -n 3
  $ ananke grammar sample --lang python --seed 42 --json

Exit status: 0 printed, 2 grammar or usage error, 3 file not found, 5 a limit exceeded (a grammar
whose texts cannot be generated within the tries allowed is an error naming the grammar).`)
    .action((file: string | undefined, opts: SampleOptions) => {
      process.exitCode = runSample(file, opts);
    });
}

function wholeNumber(flag: string, s: string, min: number): number {
  if (!/^\d+$/.test(s.trim()) || Number(s) < min) throw new AnankeError('USAGE', `${flag} must be a whole number ≥ ${min}, not '${s}'`);
  return Number(s);
}

function runSample(file: string | undefined, opts: SampleOptions): number {
  const n = wholeNumber('-n', opts.n, 1);
  const seed = wholeNumber('--seed', opts.seed, 0);
  const maxDepth = opts.maxDepth !== undefined ? wholeNumber('--max-depth', opts.maxDepth, 1) : undefined;
  const maxBytes = opts.maxBytes !== undefined ? wholeNumber('--max-bytes', opts.maxBytes, 1) : undefined;
  if (opts.lang !== undefined && file !== undefined) throw new AnankeError('USAGE', 'give a grammar file or --lang, not both');
  if (opts.lang === undefined && file === undefined) throw new AnankeError('USAGE', 'give a grammar file, or --lang LANGUAGE');
  const loaded = opts.lang !== undefined ? loadLanguageGrammar(opts.lang) : loadGrammarFile(file!, opts.format);
  const sampler = grammarSampler(loaded.grammar, { maxDepth, maxBytes });
  const samples: string[] = [];
  for (let i = 0; i < n; i++) samples.push(sampler.sample(seed + i).text);
  if (opts.json) process.stdout.write(JSON.stringify({ samples, stats: sampler.stats }, null, 2) + '\n');
  else process.stdout.write(samples.map((s, i) => `--- sample ${i + 1} (seed ${seed + i})\n${s}${s.endsWith('\n') ? '' : '\n'}`).join(''));
  return EXIT.OK;
}
