import type { GrammarBuilder } from '../grammar/builder.ts';
import type { Sym } from '../grammar/ir.ts';
import type { Regex } from '../regex/ast.ts';
import { literal } from '../regex/ast.ts';
import { DEFAULT_MAX_WHITESPACE, type JsonSchemaOptions } from './options.ts';

/**
 * JSON punctuation as lexemes. In flexible mode the whitespace is folded into each punctuation
 * lexeme (`/[ \t\n\r]{0,N},[ \t\n\r]{0,N}/`) rather than `%ignore`d: fewer lexemes per token, and
 * the bound N keeps a model from looping on spaces. Compact mode uses the separators verbatim.
 */
export interface Punctuation {
  open: Sym;
  close: Sym;
  openArray: Sym;
  closeArray: Sym;
  comma: Sym;
  colon: Sym;
  /** Whitespace allowed before and after the whole value (flexible mode), else null. */
  outer: Sym | null;
}

const WS_CHARS: Regex = { kind: 'chars', ranges: [[0x09, 0x0a], [0x0d, 0x0d], [0x20, 0x20]] };

export function punctuation(b: GrammarBuilder, opts: JsonSchemaOptions): Punctuation {
  if ((opts.whitespace ?? 'flexible') === 'compact') {
    const item = opts.separators?.item ?? ',';
    const key = opts.separators?.key ?? ':';
    return { open: b.literal('{'), close: b.literal('}'), openArray: b.literal('['), closeArray: b.literal(']'), comma: b.literal(item), colon: b.literal(key), outer: null };
  }
  const n = opts.maxWhitespace ?? DEFAULT_MAX_WHITESPACE;
  const w: Regex = { kind: 'repeat', item: WS_CHARS, min: 0, max: n };
  const before = (c: string, name: string) => b.regex(name, { kind: 'concat', items: [w, literal(c)] });
  const after = (c: string, name: string) => b.regex(name, { kind: 'concat', items: [literal(c), w] });
  const around = (c: string, name: string) => b.regex(name, { kind: 'concat', items: [w, literal(c), w] });
  return {
    open: after('{', 'LBRACE'),
    close: before('}', 'RBRACE'),
    openArray: after('[', 'LBRACKET'),
    closeArray: before(']', 'RBRACKET'),
    comma: around(',', 'COMMA'),
    colon: around(':', 'COLON'),
    outer: n > 0 ? b.regex('WS', { kind: 'repeat', item: WS_CHARS, min: 1, max: n }) : null,
  };
}
