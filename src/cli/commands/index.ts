import type { Command } from 'commander';

/**
 * Every command lives in its own file and exports `register(program)`. Add one import and one
 * call per command here, nothing else.
 */
export function registerCommands(program: Command): void {
  void program;
}
