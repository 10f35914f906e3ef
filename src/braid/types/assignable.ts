/**
 * Assignability, sound first (docs/braid-types.md, "Assignability"): `ok(src, dst)` says yes only
 * where the language's checker (tsc --strict; mypy/pyright defaults) accepts a value of type `src`
 * where `dst` is expected. Where in doubt it says no: the generated grammar then allows less, never
 * more. `any`/`Any` values are never used for a more precise type, though the checkers would
 * accept them: they carry no evidence.
 */
import type { TypeTable } from './table.ts';
import { isNullish, literalBase, membersOf, typeKey, unionOf, type FieldTy, type Ty, type TypeLanguage } from './type.ts';

/** Structural comparisons deeper than this say no (recursive types are assumed equal co-inductively before that). */
const MAX_ASSIGN_DEPTH = 16;

/** Python's numeric tower as the checkers apply it: bool ⊂ int ⊂ float ⊂ complex. */
const PY_WIDER: Record<string, string[]> = { bool: ['int', 'float', 'complex'], int: ['float', 'complex'], float: ['complex'] };

export class Assignability {
  private readonly memo = new Map<string, boolean>();

  constructor(private readonly lang: TypeLanguage, private readonly table: TypeTable) {}

  ok(src: Ty, dst: Ty): boolean {
    return this.check(src, dst, 0);
  }

  /** Both ways: the types are interchangeable (used for invariant positions). */
  same(a: Ty, b: Ty): boolean {
    return typeKey(a) === typeKey(b) || (this.ok(a, b) && this.ok(b, a));
  }

  private check(src0: Ty, dst0: Ty, depth: number): boolean {
    if (depth > MAX_ASSIGN_DEPTH) return false;
    const src = this.table.expand(src0);
    const dst = this.table.expand(dst0);
    const key = `${typeKey(src)}=>${typeKey(dst)}`;
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    this.memo.set(key, true); // co-inductive assumption for recursive structures
    const r = this.decide(src, dst, depth);
    this.memo.set(key, r);
    return r;
  }

  private decide(src: Ty, dst: Ty, depth: number): boolean {
    const ts = this.lang === 'typescript';
    const sub = (a: Ty, b: Ty): boolean => this.check(a, b, depth + 1);
    if (typeKey(src) === typeKey(dst)) return src.kind !== 'opaque' || dst.kind === 'opaque';
    if (dst.kind === 'prim' && (ts ? dst.name === 'any' || dst.name === 'unknown' : dst.name === 'Any' || dst.name === 'object')) return true;
    if (src.kind === 'prim' && (src.name === 'any' || src.name === 'Any')) return false;
    if (src.kind === 'prim' && src.name === 'never') return true;
    if (src.kind === 'union') return src.members.every((m) => sub(m, dst));
    if (dst.kind === 'union') return dst.members.some((m) => sub(src, m));
    if (src.kind === 'opaque' || dst.kind === 'opaque') return false;

    switch (src.kind) {
      case 'literal': {
        if (dst.kind === 'literal') return false; // equal keys were handled above
        if (src.base === 'enum') return dst.kind === 'named' && dst.args.length === 0 && (dst.name === src.enumName || this.table.isSubclass(src.enumName ?? '', dst.name));
        return sub(literalBase(src, this.lang), dst);
      }
      case 'prim': {
        if (ts) {
          if (src.name === 'undefined' && dst.kind === 'prim' && dst.name === 'void') return true;
          if (dst.kind === 'object' && dst.fields.length === 0 && dst.methods.length === 0) return !isNullish(src, this.lang) && src.name !== 'void' && src.name !== 'unknown';
          return false;
        }
        if (dst.kind === 'prim') return PY_WIDER[src.name]?.includes(dst.name) ?? false;
        if (dst.kind === 'named' && dst.name === 'Sized' && dst.args.length === 0) return src.name === 'str' || src.name === 'bytes';
        return false;
      }
      case 'array': {
        if (!ts && dst.kind === 'named' && dst.name === 'Sized') return true;
        if (ts && dst.kind === 'prim' && dst.name === 'object') return true;
        if (dst.kind !== 'array') return ts && this.emptyObject(dst);
        if (ts) return (dst.readonly || !src.readonly) && sub(src.elem, dst.elem);
        return dst.readonly ? sub(src.elem, dst.elem) : !src.readonly && this.same(src.elem, dst.elem);
      }
      case 'tuple': {
        if (!ts && dst.kind === 'named' && dst.name === 'Sized') return true;
        if (ts && dst.kind === 'prim' && dst.name === 'object') return true;
        if (dst.kind === 'tuple') {
          return src.items.length === dst.items.length && (!ts || dst.readonly || !src.readonly) && src.items.every((x, i) => sub(x, dst.items[i]!));
        }
        if (dst.kind === 'array') {
          if (ts) return (dst.readonly || !src.readonly) && src.items.every((x) => sub(x, dst.elem));
          return dst.readonly && src.items.every((x) => sub(x, dst.elem));
        }
        return ts && this.emptyObject(dst);
      }
      case 'map': {
        if (!ts && dst.kind === 'named' && dst.name === 'Sized') return true;
        if (ts && dst.kind === 'prim' && dst.name === 'object') return true;
        if (dst.kind !== 'map') return ts && this.emptyObject(dst);
        if (!this.same(src.key, dst.key)) return false;
        if (ts) return (dst.readonly || !src.readonly) && sub(src.value, dst.value);
        return dst.readonly ? sub(src.value, dst.value) : !src.readonly && this.same(src.value, dst.value);
      }
      case 'object':
      case 'named': {
        if (src.kind === 'named') {
          if (!ts && dst.kind === 'named' && dst.name === 'Sized' && (src.name === 'set' || src.name === 'frozenset')) return true;
          if (dst.kind === 'named') {
            if (dst.name === src.name) {
              if (dst.args.length !== src.args.length) return false;
              // Promise is covariant; other generic types are compared invariantly.
              if (ts && src.name === 'Promise') return src.args.every((a, i) => sub(a, dst.args[i]!));
              return src.args.every((a, i) => this.same(a, dst.args[i]!));
            }
            if (dst.args.length === 0 && this.table.isSubclass(src.name, dst.name)) return true;
          }
          if (!ts) return false; // Python classes are nominal
          if (dst.kind === 'prim') return dst.name === 'object' && this.table.has(src.name);
        }
        if (!ts) return false;
        if (dst.kind === 'prim') return dst.name === 'object';
        // TypeScript: structural against an object type, or a declared interface / object type alias.
        const dstFields = this.structuralTarget(dst);
        if (!dstFields) return false;
        const srcFields = this.table.fieldsOf(src);
        if (!srcFields) return false;
        return this.fieldsFit(srcFields, dstFields, depth);
      }
    }
  }

  /** The fields a structural target requires; undefined when it is not structural (classes, methods, unknown types). */
  private structuralTarget(dst: Ty): FieldTy[] | undefined {
    if (dst.kind === 'object') return dst.methods.length === 0 ? dst.fields : undefined;
    const inst = this.table.instance(dst);
    if (!inst || !inst.info.literalOk) return undefined;
    return this.table.fieldsOf(dst);
  }

  private emptyObject(dst: Ty): boolean {
    return dst.kind === 'object' && dst.fields.length === 0 && dst.methods.length === 0;
  }

  private fieldsFit(src: readonly FieldTy[], dst: readonly FieldTy[], depth: number): boolean {
    const byName = new Map(src.map((f) => [f.name, f] as const));
    let shared = 0;
    for (const d of dst) {
      const s = byName.get(d.name);
      if (!s) {
        if (!d.optional) return false;
        continue;
      }
      shared++;
      if (s.optional && !d.optional) return false;
      const dType = d.optional ? unionOf([d.type, { kind: 'prim', name: 'undefined' }], this.lang) : d.type;
      const sType = s.optional ? unionOf([s.type, { kind: 'prim', name: 'undefined' }], this.lang) : s.type;
      if (!this.check(sType, dType, depth + 1)) return false;
      if (!d.readonly && s.readonly) continue; // TypeScript does not check readonly-ness in assignability
    }
    // A "weak" type (every field optional) needs at least one field in common.
    if (dst.length > 0 && dst.every((d) => d.optional) && shared === 0) return false;
    return true;
  }
}

