/**
 * The types domain's own small type representation (docs/braid-types.md): enough of TypeScript's
 * and Python's types to decide which expressions may stand where a type is expected. Anything it
 * cannot represent is `opaque`: equal only to the same text, so it can still be matched exactly
 * but never taken apart.
 */

export type TypeLanguage = 'typescript' | 'python';

/** Primitive names: TypeScript `string number boolean bigint symbol null undefined void never unknown any object`; Python `int float complex str bytes bool None object Any`. */
export type Prim = { kind: 'prim'; name: string };

/** A literal type. `text` is canonical: JSON for strings, the number's shortest text, `true`/`false`, `Enum.Member`. */
export type LiteralTy = { kind: 'literal'; base: 'string' | 'number' | 'boolean' | 'enum'; text: string; enumName?: string };

export interface FieldTy {
  name: string;
  type: Ty;
  optional: boolean;
  readonly: boolean;
}

export interface ParamTy {
  name: string;
  /** Undefined: not annotated (such a parameter can only be left out). */
  type: Ty | undefined;
  optional: boolean;
  /**
   * `args`: TypeScript `...rest: T[]` (type is the element type) or Python `*args: T`;
   * `kwargs`: Python `**kwargs`; `unknown`: variadic, but which kind is not known (Python facts
   * without the stars): nothing is passed to it and nothing after it.
   */
  rest: 'none' | 'args' | 'kwargs' | 'unknown';
  /** Python: after `*` or `*args`, passed as `name=value` only. */
  keywordOnly: boolean;
}

export interface SigTy {
  name: string;
  params: ParamTy[];
  ret: Ty | undefined;
  typeParams: string[];
  /** Python `async def`: a call is a coroutine, usable only under `await`. */
  async: boolean;
}

export type Ty =
  | Prim
  | LiteralTy
  | { kind: 'array'; elem: Ty; readonly: boolean }
  | { kind: 'tuple'; items: Ty[]; readonly: boolean }
  | { kind: 'object'; fields: FieldTy[]; methods: SigTy[] }
  | { kind: 'map'; key: Ty; value: Ty; readonly: boolean }
  | { kind: 'union'; members: Ty[] }
  | { kind: 'named'; name: string; args: Ty[] }
  | { kind: 'opaque'; text: string };

export const prim = (name: string): Prim => ({ kind: 'prim', name });
export const named = (name: string, args: Ty[] = []): Ty => ({ kind: 'named', name, args });
export const opaque = (text: string): Ty => ({ kind: 'opaque', text: text.replace(/\s+/g, ' ').trim() });

/** Canonical text of a type: equal keys, equal types (union members sorted). */
export function typeKey(t: Ty): string {
  switch (t.kind) {
    case 'prim': return t.name;
    case 'literal': return `#${t.text}`;
    case 'array': return `${t.readonly ? 'ro ' : ''}[${typeKey(t.elem)}]`;
    case 'tuple': return `${t.readonly ? 'ro ' : ''}(${t.items.map(typeKey).join(',')})`;
    case 'object': return `{${t.fields.map((f) => `${f.readonly ? 'ro ' : ''}${f.name}${f.optional ? '?' : ''}:${typeKey(f.type)}`).join(';')}${t.methods.map((m) => `;${m.name}()`).join('')}}`;
    case 'map': return `${t.readonly ? 'ro ' : ''}map<${typeKey(t.key)},${typeKey(t.value)}>`;
    case 'union': return t.members.map(typeKey).sort().join('|');
    case 'named': return t.args.length ? `${t.name}<${t.args.map(typeKey).join(',')}>` : t.name;
    case 'opaque': return `?${t.text}`;
  }
}

export function nullName(lang: TypeLanguage): string[] {
  return lang === 'typescript' ? ['null', 'undefined'] : ['None'];
}

export function isNullish(t: Ty, lang: TypeLanguage): boolean {
  return t.kind === 'prim' && nullName(lang).includes(t.name);
}

/** Union members (the type itself when it is not a union). */
export function membersOf(t: Ty): Ty[] {
  return t.kind === 'union' ? t.members : [t];
}

/** The primitive a literal widens to. */
export function literalBase(t: LiteralTy, lang: TypeLanguage): Ty {
  if (t.base === 'enum') return named(t.enumName ?? '');
  if (lang === 'python') return prim(t.base === 'string' ? 'str' : t.base === 'number' ? (/[.eE]/.test(t.text) ? 'float' : 'int') : 'bool');
  return prim(t.base);
}

/**
 * A union, normalized: nested unions flattened, duplicates and `never` dropped, literals absorbed by
 * their primitive (`"a" | string` is `string`), `true | false` is `boolean`, one member is itself.
 */
export function unionOf(members: readonly Ty[], lang: TypeLanguage): Ty {
  const flat: Ty[] = [];
  const seen = new Set<string>();
  const push = (t: Ty): void => {
    if (t.kind === 'union') { for (const m of t.members) push(m); return; }
    if (t.kind === 'prim' && t.name === 'never') return;
    const k = typeKey(t);
    if (!seen.has(k)) { seen.add(k); flat.push(t); }
  };
  for (const m of members) push(m);
  const boolName = lang === 'typescript' ? 'boolean' : 'bool';
  if (seen.has('#true') && seen.has('#false') && !seen.has(boolName)) {
    flat.push(prim(boolName));
    seen.add(boolName);
  }
  const out = flat.filter((t) => t.kind !== 'literal' || t.base === 'enum' || !seen.has(typeKey(literalBase(t, lang))));
  if (out.length === 0) return prim('never');
  if (out.length === 1) return out[0]!;
  return { kind: 'union', members: out };
}

/** The type without `null`/`undefined` (Python: `None`). */
export function nonNullable(t: Ty, lang: TypeLanguage): Ty {
  return unionOf(membersOf(t).filter((m) => !isNullish(m, lang)), lang);
}

export function isNullable(t: Ty, lang: TypeLanguage): boolean {
  return membersOf(t).some((m) => isNullish(m, lang));
}

/** Substitutes type parameters (named types without arguments) by their arguments. */
export function substitute(t: Ty, map: ReadonlyMap<string, Ty>, lang: TypeLanguage): Ty {
  if (map.size === 0) return t;
  const s = (x: Ty): Ty => substitute(x, map, lang);
  switch (t.kind) {
    case 'named': {
      if (t.args.length === 0 && map.has(t.name)) return map.get(t.name)!;
      return t.args.length ? { kind: 'named', name: t.name, args: t.args.map(s) } : t;
    }
    case 'array': return { kind: 'array', elem: s(t.elem), readonly: t.readonly };
    case 'tuple': return { kind: 'tuple', items: t.items.map(s), readonly: t.readonly };
    case 'map': return { kind: 'map', key: s(t.key), value: s(t.value), readonly: t.readonly };
    case 'union': return unionOf(t.members.map(s), lang);
    case 'object': return {
      kind: 'object',
      fields: t.fields.map((f) => ({ ...f, type: s(f.type) })),
      methods: t.methods.map((m) => substituteSig(m, map, lang)),
    };
    default: return t;
  }
}

export function substituteSig(m: SigTy, map: ReadonlyMap<string, Ty>, lang: TypeLanguage): SigTy {
  const inner = new Map([...map].filter(([k]) => !m.typeParams.includes(k)));
  return {
    ...m,
    params: m.params.map((p) => (p.type ? { ...p, type: substitute(p.type, inner, lang) } : p)),
    ret: m.ret ? substitute(m.ret, inner, lang) : undefined,
  };
}

/** Whether a type mentions an opaque part or a name (used to keep generic signatures out). */
export function mentionsName(t: Ty, names: ReadonlySet<string>): boolean {
  switch (t.kind) {
    case 'named': return (t.args.length === 0 && names.has(t.name)) || t.args.some((a) => mentionsName(a, names));
    case 'array': return mentionsName(t.elem, names);
    case 'tuple': return t.items.some((x) => mentionsName(x, names));
    case 'map': return mentionsName(t.key, names) || mentionsName(t.value, names);
    case 'union': return t.members.some((x) => mentionsName(x, names));
    case 'object': return t.fields.some((f) => mentionsName(f.type, names));
    default: return false;
  }
}

/** Number of nodes in a type, to keep generated type universes finite. */
export function typeSize(t: Ty): number {
  switch (t.kind) {
    case 'array': return 1 + typeSize(t.elem);
    case 'tuple': return 1 + t.items.reduce((n, x) => n + typeSize(x), 0);
    case 'map': return 1 + typeSize(t.key) + typeSize(t.value);
    case 'union': return 1 + t.members.reduce((n, x) => n + typeSize(x), 0);
    case 'named': return 1 + t.args.reduce((n, x) => n + typeSize(x), 0);
    case 'object': return 1 + t.fields.reduce((n, f) => n + typeSize(f.type), 0);
    default: return 1;
  }
}

/** The type written back in the language's syntax (for notes and messages). */
export function showType(t: Ty, lang: TypeLanguage): string {
  const sh = (x: Ty): string => showType(x, lang);
  const py = lang === 'python';
  switch (t.kind) {
    case 'prim': return t.name;
    case 'literal':
      if (py) return t.base === 'enum' ? t.text : `Literal[${t.base === 'boolean' ? (t.text === 'true' ? 'True' : 'False') : t.text}]`;
      return t.text;
    case 'array': {
      if (py) return `${t.readonly ? 'Sequence' : 'list'}[${sh(t.elem)}]`;
      const e = sh(t.elem);
      return `${t.readonly ? 'readonly ' : ''}${t.elem.kind === 'union' ? `(${e})` : e}[]`;
    }
    case 'tuple': return py ? `tuple[${t.items.map(sh).join(', ')}]` : `${t.readonly ? 'readonly ' : ''}[${t.items.map(sh).join(', ')}]`;
    case 'object': return `{ ${t.fields.map((f) => `${f.readonly ? 'readonly ' : ''}${f.name}${f.optional ? '?' : ''}: ${sh(f.type)}`).join('; ')}${t.methods.length ? `${t.fields.length ? '; ' : ''}${t.methods.map((m) => `${m.name}(…)`).join('; ')}` : ''} }`;
    case 'map': return py ? `${t.readonly ? 'Mapping' : 'dict'}[${sh(t.key)}, ${sh(t.value)}]` : `Record<${sh(t.key)}, ${sh(t.value)}>`;
    case 'union': return t.members.map(sh).join(' | ');
    case 'named': return t.args.length ? (py ? `${t.name}[${t.args.map(sh).join(', ')}]` : `${t.name}<${t.args.map(sh).join(', ')}>`) : t.name;
    case 'opaque': return t.text;
  }
}
