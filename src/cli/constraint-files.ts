/**
 * Constraints from files, for `compile` (and `generate`): Ariadne (`.ariadne`), or JSON — an array
 * of constraints, or an object with a `constraints` array (what `ananke extract --json` writes).
 * JSON constraints are checked field by field (constraintFromJson, in core), and their description
 * is derived again from the rule (never trusted from the file).
 */
import fs from 'node:fs';
import { AnankeError, constraintFromJson, type Constraint } from '../core/index.ts';

/** Constraint files bigger than this are refused (a hand-written or extracted set is far smaller). */
const MAX_CONSTRAINT_FILE_BYTES = 32 * 1024 * 1024;

function readJson(file: string): Constraint[] {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new AnankeError('PARSE', `${file} is not JSON: ${(e as Error).message}`, { file });
  }
  const list = Array.isArray(data) ? data : (data as { constraints?: unknown })?.constraints;
  if (!Array.isArray(list)) throw new AnankeError('PARSE', `${file}: expected an array of constraints or an object with a "constraints" array`, { file });
  return list.map((c, i) => constraintFromJson(c, `${file}: constraint ${i + 1}`, { file }));
}

export async function readConstraintFiles(files: readonly string[]): Promise<Constraint[]> {
  const out: Constraint[] = [];
  for (const file of files) {
    if (!fs.existsSync(file)) throw new AnankeError('NOT_FOUND', `constraint file not found: ${file}`, { file });
    const st = fs.statSync(file);
    if (!st.isFile()) throw new AnankeError('USAGE', `not a file: ${file}`, { file });
    if (st.size > MAX_CONSTRAINT_FILE_BYTES) throw new AnankeError('LIMIT', `${file} is ${st.size} bytes, over ${MAX_CONSTRAINT_FILE_BYTES}`, { file });
    if (file.endsWith('.ariadne')) out.push(...(await readAriadne(file)));
    else if (file.endsWith('.json')) out.push(...readJson(file));
    else throw new AnankeError('USAGE', `${file}: constraint files are .ariadne or .json`, { file });
  }
  return out;
}

async function readAriadne(file: string): Promise<Constraint[]> {
  const { compileAriadneFiles } = await import('../ariadne/index.ts');
  const r = await compileAriadneFiles([file]);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const first = errors[0]!;
    throw new AnankeError('PARSE', `${errors.length} error${errors.length > 1 ? 's' : ''} in ${file} (run \`ananke check ${file}\`); first: ${first.file}:${first.line}:${first.column}: ${first.message}`, { file: first.file, line: first.line, column: first.column });
  }
  return r.constraints;
}
