/**
 * `ananke init`: writes a commented `ananke.toml` in the current folder (src/cli/config.ts says what
 * each key does and which ANANKE_* variable overrides it). Never overwrites one without --force.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { AnankeError, EXIT } from '../../core/index.ts';
import { CONFIG_FILE, CONFIG_TEMPLATE } from '../config.ts';

export function configure(cmd: Command): void {
  cmd
    .option('--force', `overwrite an existing ${CONFIG_FILE}`)
    .addHelpText('after', `
Examples:
  $ ananke init                 writes ./${CONFIG_FILE}, every key commented out with its default

Precedence: ${CONFIG_FILE}, then ANANKE_* environment variables, then flags.
Exit status: 0 written, 2 the file exists (use --force), 3 it cannot be written.`)
    .action((opts: { force?: boolean }) => {
      const file = path.resolve(CONFIG_FILE);
      if (fs.existsSync(file) && !opts.force) throw new AnankeError('USAGE', `${CONFIG_FILE} exists already here (use --force to overwrite it)`, { file });
      try {
        fs.writeFileSync(file, CONFIG_TEMPLATE);
      } catch (e) {
        throw new AnankeError('IO', `cannot write ${file}: ${(e as Error).message}`, { file });
      }
      process.stderr.write(`ananke: wrote ${file}\n`);
      process.exitCode = EXIT.OK;
    });
}
