import type { Command } from 'commander';
import { configure as configureCheck } from './grammar-check.ts';
import { configure as configurePrint } from './grammar-print.ts';
import { configure as configureSample } from './grammar-sample.ts';

/** `ananke grammar …`: one file per subcommand. */
export function configure(grammar: Command): void {
  configureCheck(grammar.command('check'));
  configureSample(grammar.command('sample'));
  configurePrint(grammar.command('print'));
}
