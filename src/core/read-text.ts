import fs from 'node:fs';
import { AnankeError } from './errors.ts';

/**
 * A text file a command reads whole (a target, a candidate, a file to validate), or a clear error:
 * missing (NOT_FOUND), not a regular file (USAGE), over `maxBytes` (LIMIT), binary or, with
 * `strictUtf8`, not valid UTF-8 (PARSE). `what` names the file in the message ("target file").
 */
export function readTextFile(file: string, what: string, opts: { maxBytes?: number; strictUtf8?: boolean } = {}): string {
  if (!fs.existsSync(file)) throw new AnankeError('NOT_FOUND', `${what} not found: ${file}`, { file });
  const st = fs.statSync(file);
  if (!st.isFile()) throw new AnankeError('USAGE', `${what} is not a regular file: ${file}`, { file });
  if (opts.maxBytes !== undefined && st.size > opts.maxBytes) throw new AnankeError('LIMIT', `${what} ${file} is ${st.size} bytes, over ${opts.maxBytes}`, { file });
  const bytes = fs.readFileSync(file);
  if (bytes.includes(0)) throw new AnankeError('PARSE', `${what} is binary (contains NUL bytes): ${file}`, { file });
  if (!opts.strictUtf8) return bytes.toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AnankeError('PARSE', `${what} is not valid UTF-8: ${file}`, { file });
  }
}
