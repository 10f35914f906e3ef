/**
 * Scopes, the names visible inside each function, built one way for every language: a function's
 * own bindings (parameters, locals) first, then the outer ones in order (the enclosing functions',
 * the fields of its type, the module's names), each name once (the innermost wins, so a parameter
 * shadows a field of the same name), and at most MAX_SCOPE_BINDINGS per scope. Extractors record
 * the own bindings while they read a function and complete every scope here once the file is read.
 */
import type { Node } from 'web-tree-sitter';
import type { BindingFact, FunctionFact, ParamFact, ScopeFact, TypeFact } from '../../core/index.ts';
import { addIdentifier, qualifiedName, signatureText } from './common.ts';
import type { ExtractedFacts } from './types.ts';

/**
 * At most this many names per scope, its own first: far more than a function body refers to in
 * practice, and it keeps the scopes' size linear in the file for generated headers with thousands
 * of globals.
 */
export const MAX_SCOPE_BINDINGS = 256;

/**
 * Completes a scope in place: its own bindings, then each list of `outer` bindings in order
 * (innermost first), a name listed once, at most MAX_SCOPE_BINDINGS in all.
 */
export function completeScope(scope: ScopeFact, outer: readonly (readonly BindingFact[] | undefined)[]): void {
  const seen = new Set<string>();
  const out: BindingFact[] = [];
  for (const list of [scope.bindings, ...outer]) {
    if (!list) continue;
    for (const b of list) {
      if (out.length >= MAX_SCOPE_BINDINGS) break;
      if (seen.has(b.name)) continue;
      seen.add(b.name);
      out.push(b);
    }
  }
  scope.bindings = out;
}

/** A type's fields as bindings, named by `name` (`x`, `this->x` in PHP, `@x` in Ruby). */
export function fieldBindings(type: TypeFact, name: (field: string) => string = (f) => f): BindingFact[] {
  return type.fields.map((f) => (f.type !== undefined ? { name: name(f.name), type: f.type, kind: 'field' } : { name: name(f.name), kind: 'field' }));
}

/** The fields of several types (innermost first) as bindings, each type's list made once per file. */
export class FieldBindingCache {
  private readonly lists = new Map<TypeFact, BindingFact[]>();

  of(types: readonly TypeFact[]): BindingFact[][] {
    return types.map((t) => {
      let l = this.lists.get(t);
      if (!l) this.lists.set(t, (l = fieldBindings(t)));
      return l;
    });
  }
}

/** One function's bindings, with the frames of the functions around it (closures: TypeScript, Python). */
export interface ScopeFrame {
  fn: FunctionFact;
  bindings: BindingFact[];
  parent: ScopeFrame | undefined;
  /** Fields of the enclosing class (`this.x` / `self.x`). */
  classFields: BindingFact[] | undefined;
}

/** The scopes of functions read as frames: own names, the enclosing functions', the class's fields, the module's. */
export function buildScopes(frames: readonly ScopeFrame[], moduleBindings: readonly BindingFact[]): ScopeFact[] {
  return frames.map((fr) => {
    const scope: ScopeFact = { function: qualifiedName(fr.fn), line: fr.fn.line, bindings: fr.bindings };
    const outer: (readonly BindingFact[] | undefined)[] = [];
    for (let f = fr.parent; f; f = f.parent) outer.push(f.bindings);
    outer.push(fr.classFields, moduleBindings);
    completeScope(scope, outer);
    return scope;
  });
}

/** What the Kotlin, Swift, PHP and Zig walkers collect while reading, for finishScopes. */
export interface ScopeTracking {
  /** Top-level names, visible in every scope that does not shadow them. */
  readonly moduleBindings: BindingFact[];
  /** The type whose method or initializer each scope is. */
  readonly typeOfScope: Map<ScopeFact, TypeFact>;
  /** Methods in declaration order; their signatures go into TypeFact.methods once bodies are read. */
  readonly methodOwners: { type: TypeFact; fn: FunctionFact }[];
}

/**
 * Opens the scope of a function: its parameters bound and recorded as identifiers; a method's scope
 * remembers its type (finishScopes binds the fields there).
 */
export function functionScope(out: ExtractedFacts, t: ScopeTracking, fact: FunctionFact, params: readonly ParamFact[], node: Node, type: TypeFact | undefined): ScopeFact {
  const bindings: BindingFact[] = [];
  for (const p of params) {
    bindings.push(p.type !== undefined ? { name: p.name, type: p.type, kind: 'parameter' } : { name: p.name, kind: 'parameter' });
    addIdentifier(out.identifiers, p.name, 'parameter', node);
  }
  const scope: ScopeFact = { function: qualifiedName(fact), line: fact.line, bindings };
  out.scopes.push(scope);
  if (type) t.typeOfScope.set(scope, type);
  return scope;
}

/**
 * Completes the facts once the file is read: every method's signature goes into its type, and
 * every scope is completed (completeScope) with its type's fields, under the name `fieldName`
 * gives (`this->x` in PHP; none when it returns null), then the module's names.
 */
export function finishScopes(
  out: ExtractedFacts,
  t: ScopeTracking,
  fieldName: (scope: ScopeFact, type: TypeFact) => ((field: string) => string) | null = () => (f) => f,
): ExtractedFacts {
  for (const m of t.methodOwners) m.type.methods.push(signatureText({ ...m.fn, container: undefined }));
  for (const scope of out.scopes) {
    const type = t.typeOfScope.get(scope);
    const name = type ? fieldName(scope, type) : null;
    completeScope(scope, [type && name ? fieldBindings(type, name) : undefined, t.moduleBindings]);
  }
  return out;
}
