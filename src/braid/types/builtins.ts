/**
 * The standard library the types domain knows: members of strings, numbers, arrays/lists, tuples
 * and dicts, and a few global functions, each with its exact signature in the standard library
 * (TypeScript: lib ES2017 or later; Python: typeshed's builtins). A global is left out when a
 * binding or function of the file has its name (it would be shadowed).
 */
import { named, prim, unionOf, type ParamTy, type SigTy, type Ty, type TypeLanguage } from './type.ts';

export type Member =
  | { kind: 'field'; name: string; type: Ty; optional: boolean }
  | { kind: 'method'; name: string; sig: SigTy }
  /** `x[key]` (Python): the key's type, or one literal key (tuples). */
  | { kind: 'index'; key: Ty | string; type: Ty };

export interface GlobalFn {
  /** `["Math", "floor"]` for `Math.floor`. */
  path: string[];
  sig: SigTy;
}

function p(name: string, type: Ty, optional = false): ParamTy {
  return { name, type, optional, rest: 'none', keywordOnly: false };
}

function rest(name: string, type: Ty): ParamTy {
  return { name, type, optional: true, rest: 'args', keywordOnly: false };
}

function sig(name: string, params: ParamTy[], ret: Ty): SigTy {
  return { name, params, ret, typeParams: [], async: false };
}

const method = (name: string, params: ParamTy[], ret: Ty): Member => ({ kind: 'method', name, sig: sig(name, params, ret) });

const TS = { str: prim('string'), num: prim('number'), bool: prim('boolean') };
const PY = { str: prim('str'), int: prim('int'), float: prim('float'), bool: prim('bool'), none: prim('None') };

function tsStringMembers(): Member[] {
  const { str, num, bool } = TS;
  return [
    { kind: 'field', name: 'length', type: num, optional: false },
    method('toUpperCase', [], str),
    method('toLowerCase', [], str),
    method('trim', [], str),
    method('slice', [p('start', num, true), p('end', num, true)], str),
    method('substring', [p('start', num), p('end', num, true)], str),
    method('charAt', [p('pos', num)], str),
    method('padStart', [p('maxLength', num), p('fillString', str, true)], str),
    method('padEnd', [p('maxLength', num), p('fillString', str, true)], str),
    method('repeat', [p('count', num)], str),
    method('includes', [p('searchString', str)], bool),
    method('startsWith', [p('searchString', str)], bool),
    method('endsWith', [p('searchString', str)], bool),
    method('indexOf', [p('searchString', str)], num),
    method('split', [p('separator', str)], { kind: 'array', elem: str, readonly: false }),
    method('toString', [], str),
  ];
}

function tsArrayMembers(elem: Ty, length: Ty): Member[] {
  const { str, num, bool } = TS;
  return [
    { kind: 'field', name: 'length', type: length, optional: false },
    method('includes', [p('searchElement', elem)], bool),
    method('indexOf', [p('searchElement', elem)], num),
    method('join', [p('separator', str, true)], str),
    method('slice', [p('start', num, true), p('end', num, true)], { kind: 'array', elem, readonly: false }),
  ];
}

function pyStrMembers(): Member[] {
  const { str, int, bool } = PY;
  return [
    ...['upper', 'lower', 'strip', 'lstrip', 'rstrip', 'title', 'capitalize', 'casefold'].map((n) => method(n, [], str)),
    method('startswith', [p('prefix', str)], bool),
    method('endswith', [p('suffix', str)], bool),
    ...['isdigit', 'isalpha', 'isalnum', 'isspace', 'isupper', 'islower'].map((n) => method(n, [], bool)),
    method('find', [p('sub', str)], int),
    method('count', [p('sub', str)], int),
    method('split', [p('sep', str, true)], { kind: 'array', elem: str, readonly: false }),
    method('replace', [p('old', str), p('new', str)], str),
    method('join', [p('iterable', { kind: 'array', elem: str, readonly: true })], str),
    method('zfill', [p('width', int)], str),
    { kind: 'index', key: int, type: str },
  ];
}

/** Built-in members of a type (already expanded: no aliases at its top). */
export function builtinMembers(t: Ty, lang: TypeLanguage): Member[] {
  if (lang === 'typescript') {
    if ((t.kind === 'prim' && t.name === 'string') || (t.kind === 'literal' && t.base === 'string')) return tsStringMembers();
    if ((t.kind === 'prim' && t.name === 'number') || (t.kind === 'literal' && t.base === 'number')) {
      return [method('toFixed', [p('fractionDigits', TS.num, true)], TS.str), method('toString', [], TS.str)];
    }
    // Booleans have no members here: a narrowed boolean reference may be `never` (`b && !b && b.toString()`).
    if (t.kind === 'array') return tsArrayMembers(t.elem, TS.num);
    if (t.kind === 'tuple' && t.items.length > 0) {
      return tsArrayMembers(unionOf(t.items, lang), { kind: 'literal', base: 'number', text: String(t.items.length) });
    }
    return [];
  }
  if ((t.kind === 'prim' && t.name === 'str') || (t.kind === 'literal' && t.base === 'string')) return pyStrMembers();
  if (t.kind === 'array') {
    const ms: Member[] = [
      method('count', [p('value', t.elem)], PY.int),
      method('index', [p('value', t.elem)], PY.int),
      { kind: 'index', key: PY.int, type: t.elem },
    ];
    if (!t.readonly) ms.unshift(method('copy', [], t));
    return ms;
  }
  if (t.kind === 'tuple') return t.items.map((item, i) => ({ kind: 'index', key: String(i), type: item }));
  if (t.kind === 'map') {
    const ms: Member[] = [
      method('get', [p('key', t.key)], unionOf([t.value, PY.none], lang)),
      { kind: 'index', key: t.key, type: t.value },
    ];
    if (!t.readonly) ms.unshift(method('copy', [], t));
    return ms;
  }
  return [];
}

/** Global functions (shadowed ones to be removed by the caller). */
export function builtinGlobals(lang: TypeLanguage): GlobalFn[] {
  const g = (path: string, params: ParamTy[], ret: Ty): GlobalFn => ({ path: path.split('.'), sig: sig(path, params, ret) });
  if (lang === 'typescript') {
    const { str, num, bool } = TS;
    const scalar = unionOf([str, num, bool], lang);
    return [
      g('String', [p('value', scalar)], str),
      g('Number', [p('value', scalar)], num),
      g('Boolean', [p('value', scalar)], bool),
      ...['floor', 'ceil', 'round', 'abs', 'sqrt', 'trunc', 'sign'].map((n) => g(`Math.${n}`, [p('x', num)], num)),
      g('Math.max', [rest('values', num)], num),
      g('Math.min', [rest('values', num)], num),
      g('JSON.stringify', [p('value', scalar)], str),
      g('parseInt', [p('string', str)], num),
      g('parseFloat', [p('string', str)], num),
      g('isNaN', [p('number', num)], bool),
      g('Number.isInteger', [p('number', num)], bool),
      g('Number.isFinite', [p('number', num)], bool),
      g('Date.now', [], num),
    ];
  }
  const { str, int, float, bool } = PY;
  const scalar = unionOf([str, float, bool], lang);
  return [
    g('len', [p('obj', named('Sized'))], int),
    g('str', [p('object', scalar)], str),
    g('repr', [p('obj', scalar)], str),
    g('int', [p('x', unionOf([str, float], lang))], int),
    g('float', [p('x', unionOf([str, float], lang))], float),
    g('bool', [p('o', scalar)], bool),
    g('abs', [p('x', int)], int),
    g('round', [p('number', float)], int),
  ];
}
