import { readFileSync } from 'node:fs';

/**
 * Ananke's version, read from its package.json (two levels above this file both as source,
 * src/core/, and compiled, dist/core/), so it is written in one place only.
 */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
