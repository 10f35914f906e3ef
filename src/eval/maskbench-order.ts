/**
 * Order-only validation errors: a valid MaskBench instance our grammar refuses only because its
 * object keys come in an order the grammar does not allow (schema-order grammars write declared
 * properties in the order the schema lists them, as llguidance and XGrammar do). The instance is
 * rewritten with its keys in the grammar's order (KeyOrder, from the schema compiler), everything
 * else as written (number text, strings), and walked again.
 */
import { EngineError, PLAIN_TEXT, type KeyOrder, type Tokenizer } from '../engine/index.ts';
import type { SchemaCompilation } from './maskbench-engine.ts';
import { parseRawJson, pythonDumps, RawJsonError, type RawJson } from './raw-json.ts';

/** `v` with each object's keys in `order`'s order: listed keys first, the others after, as written. */
export function reorderKeys(v: RawJson, order: KeyOrder | undefined): RawJson {
  if (order === undefined) return v;
  if (v.kind === 'array') return { kind: 'array', items: v.items.map((x, i) => reorderKeys(x, order.inner.get(i))) };
  if (v.kind !== 'object') return v;
  const rank = new Map((order.keys ?? []).map((k, i) => [k, i]));
  const at = (k: string) => rank.get(k) ?? rank.size;
  // Array.prototype.sort is stable: keys of equal rank (the unlisted ones) keep their written order.
  const entries = [...v.entries].sort(([a], [b]) => at(a) - at(b));
  return { kind: 'object', entries: entries.map(([k, x]) => [k, reorderKeys(x, order.inner.get(k))]) };
}

/** Whether the compiled schema accepts `text` (grammar, then post-check), without timing anything. */
function acceptsText(c: SchemaCompilation, tok: Tokenizer, text: string): boolean {
  const m = c.grammar.matcher();
  for (const id of tok.encode(text, PLAIN_TEXT)) if (!m.consume(id)) return false;
  return m.isAccepting() && (c.postCheck === undefined || c.postCheck(text));
}

/**
 * Whether a valid instance the schema refused is accepted once its keys are in the grammar's order.
 * The instance as written is re-serialized the same way and must still be refused, so a difference
 * of layout (Python's, here) is never taken for one of order.
 */
export function refusedOnlyForOrder(c: SchemaCompilation, tok: Tokenizer, text: string): boolean {
  if (c.keyOrder === undefined) return false;
  try {
    const raw = parseRawJson(text);
    const order = c.keyOrder(JSON.parse(text) as unknown);
    if (order === undefined) return false;
    const asWritten = pythonDumps(raw);
    const reordered = pythonDumps(reorderKeys(raw, order));
    return reordered !== asWritten && acceptsText(c, tok, reordered) && !acceptsText(c, tok, asWritten);
  } catch (e) {
    // Not JSON, or a limit while ordering or checking (a document nested past the limits): the
    // error is then not called order-only, and the instance stays a validation error.
    if (e instanceof RawJsonError || e instanceof EngineError || e instanceof SyntaxError) return false;
    throw e;
  }
}
