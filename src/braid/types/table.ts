/**
 * The types of the file, resolved: aliases expanded, generic declarations instantiated, fields and
 * methods inherited from the bases that are declared in the table, and for each type what may be
 * built or reached from it (public instance fields and methods, static methods, enum members, a
 * constructor, whether an object literal may stand for it).
 */
import { parseType, sigOf, parseSignatureText, type TypedDeclaration, type TypedFunction } from './declarations.ts';
import {
  substitute, substituteSig, unionOf,
  type FieldTy, type ParamTy, type SigTy, type Ty, type TypeLanguage,
} from './type.ts';

/** Alias chains and base chains longer than this are cut (a cycle, or a pathological file). */
const MAX_RESOLVE_DEPTH = 8;

export interface DeclInfo {
  name: string;
  kind: string;
  typeParams: string[];
  /** Own and inherited public instance fields (type parameters not substituted). */
  fields: FieldTy[];
  methods: SigTy[];
  statics: SigTy[];
  /** Parameters of the constructor; undefined when instances cannot be built by a call. */
  ctor: ParamTy[] | undefined;
  /** For type aliases: the aliased type. */
  alias?: Ty;
  enumMembers: string[];
  /** An object literal (TypeScript) may stand for it: an interface or an object type alias without methods. */
  literalOk: boolean;
  /** Base type names, transitively. */
  ancestors: Set<string>;
}

const NON_PUBLIC = new Set(['private', 'protected', 'internal']);

function stripArgs(base: string): string {
  return base.replace(/[<[].*$/s, '').trim();
}

export class TypeTable {
  private readonly decls = new Map<string, TypedDeclaration>();
  private readonly infos = new Map<string, DeclInfo | null>();

  constructor(readonly lang: TypeLanguage, types: readonly TypedDeclaration[], private readonly notes: string[]) {
    for (const t of types) if (t.name && !this.decls.has(t.name)) this.decls.set(t.name, t);
  }

  has(name: string): boolean {
    return this.decls.has(name);
  }

  info(name: string): DeclInfo | undefined {
    if (this.infos.has(name)) return this.infos.get(name) ?? undefined;
    this.infos.set(name, null); // a cycle through bases reads as unknown
    const d = this.decls.get(name);
    const info = d ? this.build(d, 0) : undefined;
    this.infos.set(name, info ?? null);
    return info;
  }

  private declaredMethods(d: TypedDeclaration): TypedFunction[] {
    const out: TypedFunction[] = [];
    for (const m of d.methods ?? []) {
      if (typeof m !== 'string') { out.push(m); continue; }
      const f = parseSignatureText(m, this.lang);
      if (f) {
        if (/^\s*static\s/.test(m)) f.static = true;
        out.push(f);
      } else this.notes.push(`${d.name}: method signature not read: ${m}`);
    }
    return out;
  }

  private build(d: TypedDeclaration, depth: number): DeclInfo {
    const lang = this.lang;
    const kind = d.kind ?? (lang === 'typescript' ? 'interface' : 'class');
    const typeParams = (d.typeParams ?? []).map((t) => /^[\p{L}_$][\p{L}\p{N}_$]*/u.exec(t.trim())?.[0] ?? t);
    const info: DeclInfo = {
      name: d.name, kind, typeParams, fields: [], methods: [], statics: [], ctor: undefined,
      enumMembers: [...(d.members ?? [])], literalOk: false, ancestors: new Set(),
    };
    if (d.aliasOf !== undefined && (kind === 'type_alias' || kind === 'union')) info.alias = parseType(d.aliasOf, lang);
    const bases = (d.bases ?? []).filter((b) => !(lang === 'python' && /^(object|Generic\b|Protocol\b|typing\.)/.test(b)));
    const isTypedDict = lang === 'python' && bases.some((b) => /\bTypedDict$/.test(stripArgs(b)));
    const isNamedTuple = lang === 'python' && bases.some((b) => /\bNamedTuple$/.test(stripArgs(b)));
    const isEnum = kind === 'enum';

    // Inherited members first (a subclass's own declaration of a name replaces the base's).
    const fieldMap = new Map<string, FieldTy>();
    const methodMap = new Map<string, SigTy>();
    for (const b of bases) {
      const bname = stripArgs(b);
      info.ancestors.add(bname);
      if (depth >= MAX_RESOLVE_DEPTH || isTypedDict || isNamedTuple || isEnum) continue;
      const bd = this.decls.get(bname);
      if (!bd || bd === d) continue;
      const bi = this.build(bd, depth + 1);
      for (const a of bi.ancestors) info.ancestors.add(a);
      const bt = parseType(b, lang);
      const map = new Map<string, Ty>();
      if (bt.kind === 'named' && bt.args.length === bi.typeParams.length) bi.typeParams.forEach((p, i) => map.set(p, bt.args[i]!));
      else if (bi.typeParams.length > 0) continue; // generic base without its arguments: its members are unknown
      for (const f of bi.fields) fieldMap.set(f.name, { ...f, type: substitute(f.type, map, lang) });
      for (const m of bi.methods) methodMap.set(m.name, substituteSig(m, map, lang));
    }

    if (!isTypedDict && !isEnum) {
      for (const f of d.fields) {
        if (f.static || (f.visibility !== undefined && NON_PUBLIC.has(f.visibility)) || f.name.startsWith('#')) continue;
        if (lang === 'python' && (f.name.startsWith('__') || /^(ClassVar|InitVar)\b/.test((f.type ?? '').replace(/^typing\./, '')))) continue;
        const name = f.name.replace(/^(this|self)\./, '');
        if (name.includes('.')) continue;
        const type = f.type !== undefined ? parseType(f.type, lang) : undefined;
        if (!type) { fieldMap.delete(name); continue; }
        fieldMap.set(name, { name, type, optional: f.optional === true, readonly: f.readonly === true });
      }
    }
    let ctorFn: TypedFunction | undefined;
    let ctorHidden = false;
    for (const m of this.declaredMethods(d)) {
      const isCtor = lang === 'typescript' ? m.name === 'constructor' : m.name === '__init__';
      if (isCtor) {
        if (m.visibility !== undefined && NON_PUBLIC.has(m.visibility)) ctorHidden = true;
        else ctorFn ??= m;
        continue;
      }
      if (m.visibility !== undefined && NON_PUBLIC.has(m.visibility)) { methodMap.delete(m.name); continue; }
      if (lang === 'python' && m.name.startsWith('_')) continue;
      const sig = sigOf(m, lang);
      if (lang === 'python' && sig.params.length > 0 && sig.params[0]!.rest === 'none' && (m.static !== true || sig.params[0]!.name === 'cls')) {
        if (sig.params[0]!.name === 'self' || sig.params[0]!.name === 'cls' || sig.params[0]!.type === undefined) sig.params = sig.params.slice(1);
      }
      if (m.static) info.statics.push(sig);
      else methodMap.set(m.name, sig);
    }
    info.fields = [...fieldMap.values()];
    info.methods = [...methodMap.values()];

    // How instances are built.
    if (lang === 'typescript') {
      if (kind === 'class' && !d.abstract && !ctorHidden && typeParams.length === 0) {
        if (ctorFn) info.ctor = sigOf(ctorFn, lang).params;
        else if (bases.length === 0) info.ctor = [];
      }
      info.literalOk = (kind === 'interface' || kind === 'object' || kind === 'type_alias') && info.alias === undefined && info.methods.length === 0;
    } else if (!isTypedDict && !isEnum && kind !== 'protocol' && !d.abstract && typeParams.length === 0 && !ctorHidden) {
      if (ctorFn) {
        const ps = sigOf(ctorFn, lang).params;
        info.ctor = ps.length > 0 && ps[0]!.rest === 'none' ? ps.slice(1) : ps;
      } else if (kind === 'record' && (bases.length === 0 || isNamedTuple)) {
        info.ctor = d.fields
          .filter((f) => !f.static && !f.name.includes('.') && !/^(ClassVar|InitVar)\b/.test((f.type ?? '').replace(/^typing\./, '')))
          .map((f) => ({ name: f.name, type: f.type !== undefined ? parseType(f.type, lang) : undefined, optional: false, rest: 'none', keywordOnly: false }));
      } else if (kind === 'class' && bases.length === 0 && d.fields.length === 0) {
        info.ctor = [];
      }
    }
    return info;
  }

  /**
   * A type with aliases expanded at its top (and in its union members), generic aliases
   * instantiated. Named types not in the table stay named.
   */
  expand(t: Ty, depth = 0): Ty {
    if (depth > MAX_RESOLVE_DEPTH) return t;
    if (t.kind === 'union') {
      if (!t.members.some((m) => m.kind === 'named' && this.info(m.name)?.alias)) return t;
      return unionOf(t.members.map((m) => this.expand(m, depth + 1)), this.lang);
    }
    if (t.kind !== 'named') return t;
    const info = this.info(t.name);
    if (!info?.alias) return t;
    if (info.typeParams.length !== t.args.length) return t;
    const map = new Map(info.typeParams.map((p, i) => [p, t.args[i]!] as const));
    return this.expand(substitute(info.alias, map, this.lang), depth + 1);
  }

  /** The declaration of a named type with its arguments bound (undefined: not in the table, or arity differs). */
  instance(t: Ty): { info: DeclInfo; map: Map<string, Ty> } | undefined {
    if (t.kind !== 'named') return undefined;
    const info = this.info(t.name);
    if (!info || info.alias) return undefined;
    if (info.typeParams.length !== t.args.length) return undefined;
    return { info, map: new Map(info.typeParams.map((p, i) => [p, t.args[i]!] as const)) };
  }

  /** Public instance fields of a type (object type literals and declared types), arguments substituted. */
  fieldsOf(t: Ty): FieldTy[] | undefined {
    if (t.kind === 'object') return t.fields;
    const inst = this.instance(t);
    if (!inst) return undefined;
    return inst.info.fields.map((f) => ({ ...f, type: substitute(f.type, inst.map, this.lang) }));
  }

  methodsOf(t: Ty): SigTy[] {
    if (t.kind === 'object') return t.methods;
    const inst = this.instance(t);
    if (!inst) return [];
    return inst.info.methods.map((m) => substituteSig(m, inst.map, this.lang));
  }

  /** Whether `sub` names `sup` among its bases (transitively). */
  isSubclass(sub: string, sup: string): boolean {
    return this.info(sub)?.ancestors.has(sup) ?? false;
  }

  /** Names of every declared type (for enum and static roots). */
  names(): string[] {
    return [...this.decls.keys()];
  }
}
