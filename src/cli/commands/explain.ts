/**
 * `ananke explain <ir.json> [ids…]`: what a ConstraintIR does with each constraint — enforced in the
 * grammar (which rules and terminals), checked after generation, advisory, or dropped/merged and
 * why — and the conflicts Braid resolved.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { AnankeError, EXIT, IR_VERSION, type ConstraintIR } from '../../core/index.ts';
import { formatTarget } from '../../braid/index.ts';

const MODE_WORDS: Record<string, string> = {
  decode: 'enforced while decoding', check: 'checked after generation', advisory: 'advisory', dropped: 'dropped',
};

export function configure(cmd: Command): void {
  cmd
    .argument('<ir>', 'a ConstraintIR file (`ananke compile … -o ir.json`)')
    .argument('[ids...]', 'only these constraint ids')
    .option('--json', 'print the explanation as JSON')
    .addHelpText('after', `
Examples:
  $ ananke compile src --target function:src/core/stats.ts:percentile -o ir.json
  $ ananke explain ir.json
  $ ananke explain ir.json clew.naming.typescript.variable --json

Exit status: 0 done, 1 an id given is not in the IR, 3 the file is not found, 4 it is not a ConstraintIR.`)
    .action((file: string, ids: string[], opts: { json?: boolean }) => {
      process.exitCode = runExplain(file, ids, opts);
    });
}

export function readIR(file: string): ConstraintIR {
  if (!fs.existsSync(file)) throw new AnankeError('NOT_FOUND', `IR file not found: ${file}`, { file });
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new AnankeError('PARSE', `${file} is not JSON: ${(e as Error).message}`, { file });
  }
  const ir = data as Partial<ConstraintIR>;
  if (ir === null || typeof ir !== 'object' || ir.version === undefined || !Array.isArray(ir.enforcement) || typeof ir.grammar !== 'string') {
    throw new AnankeError('PARSE', `${file} is not a ConstraintIR (write one with \`ananke compile … -o ir.json\`)`, { file });
  }
  if (ir.version !== IR_VERSION) throw new AnankeError('PARSE', `${file} is ConstraintIR version ${String(ir.version)}; this Ananke reads version ${IR_VERSION}`, { file });
  return ir as ConstraintIR;
}

function runExplain(file: string, ids: string[], opts: { json?: boolean }): number {
  const ir = readIR(file);
  const unknown = ids.filter((id) => !ir.enforcement.some((e) => e.id === id));
  const shown = ids.length ? ir.enforcement.filter((e) => ids.includes(e.id)) : ir.enforcement;
  const byId = new Map(ir.constraints.map((c) => [c.id, c]));
  const rules = (symbol: string): string[] => ir.grammar.split('\n').filter((l) => new RegExp(`\\b${symbol}\\b`).test(l)).map((l) => l.split(':')[0]!.trim()).filter((n) => n !== symbol);
  const items = shown.map((e) => ({
    ...e,
    description: byId.get(e.id)?.description,
    severity: byId.get(e.id)?.severity,
    usedBy: (e.grammarSymbols ?? []).map((s) => ({ symbol: s, rules: [...new Set(rules(s))] })),
  }));
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ target: formatTarget(ir.target), language: ir.language, constraints: items, conflicts: ir.conflicts, unknown }, null, 2)}\n`);
  } else {
    let out = `${formatTarget(ir.target)} (${ir.language}): ${ir.enforcement.length} constraints, grammar ${ir.grammar.length} characters\n`;
    for (const it of items) {
      out += `\n${it.id} [${it.severity ?? '?'}, ${it.hard ? 'hard' : 'soft'}]: ${it.description ?? ''}\n  ${MODE_WORDS[it.mode] ?? it.mode}: ${it.reason}${it.by ? ` (by ${it.by})` : ''}\n`;
      for (const u of it.usedBy) out += `  grammar: ${u.symbol}${u.rules.length ? `, used in ${u.rules.slice(0, 8).join(', ')}${u.rules.length > 8 ? ` and ${u.rules.length - 8} more` : ''}` : ''}\n`;
    }
    if (ir.conflicts.length && ids.length === 0) {
      out += `\nconflicts:\n`;
      for (const c of ir.conflicts) out += `  ${c.subject} (${c.constraintIds.join(', ')}): ${c.explanation}${c.winner ? `; kept ${c.winner} by ${c.resolvedBy}` : ''}\n`;
    }
    for (const id of unknown) out += `\nno constraint ${id} in ${file}\n`;
    process.stdout.write(out);
  }
  return unknown.length ? EXIT.NO : EXIT.OK;
}
