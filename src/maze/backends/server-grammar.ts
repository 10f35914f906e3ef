/**
 * What a server is asked to enforce for a ConstraintIR: the grammar of the part the server generates,
 * in the syntax that server reads (request-formats.ts says which and why), or the target's JSON
 * Schema; `ananke serve` gets the IR itself.
 *
 * A server constrains only what it generates, from the start of its output. The IR grammar may read
 * fixed text first (docs/constraint-ir.md, `prefix`), which the local backend feeds to the matcher
 * and the prompt ends with. For `function` and `new` targets that text is the declaration head, the
 * first literal of the start rule: the server gets the grammar without it (the prompt still ends
 * with the head, so the model continues after it exactly as locally). A `fim` range in a whole-file
 * grammar cannot be cut out that way (the file's grammar does not know where the range ends), so it
 * is refused; a typed `fim` hole (`rangeOnly`) has a grammar of its own and goes as it is.
 */
import { AnankeError, type ConstraintIR } from '../../core/index.ts';
import { parseLark, portableGrammar, printGbnf, printLark, type Grammar, type PortableOptions } from '../../engine/index.ts';
import { DEFAULT_GRAMMAR_FORMAT, type GrammarFormat, type ServerConstraint, type ServerKind } from './request-formats.ts';

/**
 * Indentation levels the portable expansion tells apart (deeper blocks are refused by the printed
 * grammar). As `ananke grammar print`: the engine's default 6 is too shallow for real Python.
 */
export const SERVER_INDENT_LEVELS = 10;

/**
 * The portable expansion for the IR, as servers get it and `ananke compile --portable` prints it:
 * SERVER_INDENT_LEVELS levels, and the IR's base and unit (ConstraintIR.indent): a Python function's
 * body at its real depth in its file's one unit, the body a model writes into the file, with a
 * third of the rules all three units take. For other IRs every unit, from column 0.
 */
export function portableOptionsFor(ir: ConstraintIR): PortableOptions {
  return { indentLevels: SERVER_INDENT_LEVELS, ...(ir.indent !== undefined ? { baseIndent: ir.indent.base, indentUnits: [ir.indent.unit] } : {}) };
}

/** The IR grammar without the fixed text the prompt already ends with (see above). */
export function generatedPartGrammar(ir: ConstraintIR, g: Grammar): Grammar {
  if (ir.rangeOnly === true) return g;
  if (ir.target.kind === 'fim') {
    throw new AnankeError('UNSUPPORTED', 'a fim: target\'s grammar reads the whole file, and a server can only constrain what it generates: use the local backend, or --server ananke (ananke serve is sent the whole IR)');
  }
  if (!ir.prefix) return g;
  const start = g.rules[g.start]!;
  const headFirst = start.alternatives.length > 0 && start.alternatives.every((alt) => {
    const first = alt[0];
    return first?.kind === 'lexeme' && g.lexemes[first.id]!.literal === ir.prefix;
  });
  if (!headFirst) {
    throw new AnankeError('UNSUPPORTED', `the IR grammar does not begin with its fixed prefix as one literal, so the part a server generates cannot be cut out of it (target ${ir.target.kind})`);
  }
  const after = { ...start, alternatives: start.alternatives.map((alt) => alt.slice(1)) };
  const referenced = g.rules.some((r) => r.alternatives.some((alt) => alt.some((sym) => sym.kind === 'rule' && sym.id === g.start)));
  if (!referenced) return { ...g, rules: g.rules.map((r, i) => (i === g.start ? after : r)) };
  // Another rule refers to the start rule and must keep its meaning: a new start rule beside it.
  const rules = [...g.rules, { ...after, name: `${start.name}_after_prefix` }];
  return { ...g, rules, start: rules.length - 1 };
}

/**
 * What `server` is sent for the IR: the IR itself (`ananke`), the JSON Schema (json targets: every
 * server documents a JSON Schema field, and OpenAI has no other; unless a grammar format is asked
 * for), else the grammar of the generated part in the server's syntax. `generate` is the
 * `POST /generate` protocol.
 */
export function serverConstraint(ir: ConstraintIR, server: ServerKind | 'generate', format?: GrammarFormat): ServerConstraint {
  if (server === 'ananke') {
    if (format !== undefined) throw new AnankeError('USAGE', '--grammar-format has no effect with --server ananke: ananke serve is sent the ConstraintIR itself');
    return { kind: 'constraint_ir', ir };
  }
  if (ir.language === 'json' && ir.jsonSchema !== undefined && (format === undefined || server === 'openai')) {
    return { kind: 'json_schema', schema: ir.jsonSchema };
  }
  if (server === 'openai') {
    throw new AnankeError('UNSUPPORTED', 'the OpenAI API takes no grammar, only a JSON Schema (response_format): with --server openai only json: targets can be constrained; use --server vllm, sglang, llamacpp or ananke for code');
  }
  const fmt = format ?? DEFAULT_GRAMMAR_FORMAT[server];
  const g = generatedPartGrammar(ir, parseLark(ir.grammar));
  const portable = portableOptionsFor(ir);
  const text = fmt === 'lark' ? printLark(g, { portable }) : printGbnf(portableGrammar(g, portable));
  return { kind: 'grammar', format: fmt, text };
}
