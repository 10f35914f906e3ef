import type { Command } from 'commander';
import { configure as configureCheck } from './grammar-check.ts';

/** `ananke grammar …`: one file per subcommand. */
export function configure(grammar: Command): void {
  configureCheck(grammar.command('check'));
}
