import type { Command } from 'commander';
import { register as registerGrammar } from './grammar.ts';
import { register as registerExtract } from './extract.ts';
import { register as registerBench } from './bench.ts';
import { register as registerSchema } from './schema.ts';

/**
 * Every command lives in its own file and exports `register(program)`. Add one import and one
 * call per command here, nothing else.
 */
export function registerCommands(program: Command): void {
  void program;
  registerGrammar(program);
  registerExtract(program);
  registerBench(program);
  registerSchema(program);
}
