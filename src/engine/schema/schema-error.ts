import { EngineError } from '../errors.ts';

/**
 * A schema that is malformed or uses a keyword the engine cannot enforce: EngineError('SCHEMA')
 * carrying the JSON pointer of the schema object and the keyword.
 */
export class JsonSchemaError extends EngineError {
  constructor(
    readonly pointer: string,
    readonly keyword: string,
    reason: string,
  ) {
    super('SCHEMA', `${keyword ? `'${keyword}' ` : ''}at ${pointerText(pointer)}: ${reason}`);
  }
}

/**
 * A location as messages print it: `#/a/b` in the schema itself; in a document loaded for a
 * remote `$ref`, whose pointers carry their document (`uri#/a/b`), as it is.
 */
export function pointerText(pointer: string): string {
  if (pointer.includes('#')) return pointer;
  return pointer === '' ? '#' : `#${pointer}`;
}

/** Escape one JSON pointer token (RFC 6901). */
export function pointerToken(s: string | number): string {
  return String(s).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The key one escaped JSON pointer token names (pointerToken undone). */
export function unescapePointerToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function childPointer(base: string, ...tokens: Array<string | number>): string {
  return base + tokens.map((t) => `/${pointerToken(t)}`).join('');
}
