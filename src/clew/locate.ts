/**
 * Where a function is in a source file, for generation targets (`function:<file>:<name>`,
 * `body:<file>:<name>`): the text offsets of its declaration (from the first decorator or
 * attribute to its last character), of its body, and what kind of function it is. Names are
 * `name` for functions and `Container.name` for methods (class, impl type, Go receiver type).
 */
import { AnankeError, type Language } from '../core/index.ts';
import { parse } from './parser.ts';
import type { Node } from 'web-tree-sitter';

export interface FunctionLocation {
  name: string;
  /** UTF-16 offsets into the source: declaration start (first decorator/attribute), body start, body end, declaration end. */
  start: number;
  bodyStart: number;
  bodyEnd: number;
  end: number;
  /** 1-based line and column of `start`. */
  line: number;
  column: number;
  async: boolean;
  generator: boolean;
  kind: 'function' | 'method';
}

const FUNCTION_TYPES: Partial<Record<Language, string[]>> = {
  typescript: ['function_declaration', 'generator_function_declaration', 'method_definition'],
  tsx: ['function_declaration', 'generator_function_declaration', 'method_definition'],
  javascript: ['function_declaration', 'generator_function_declaration', 'method_definition'],
  python: ['function_definition'],
  go: ['function_declaration', 'method_declaration'],
  rust: ['function_item'],
};

const CONTAINER_TYPES = new Set(['class_declaration', 'abstract_class_declaration', 'class', 'class_definition', 'impl_item', 'trait_item']);

/** Every function with a body in the file, with its qualified name. */
export async function locateFunctions(lang: Language, source: string): Promise<FunctionLocation[]> {
  const types = FUNCTION_TYPES[lang];
  if (!types) throw new AnankeError('UNSUPPORTED', `function targets are not supported for ${lang} (supported: ${Object.keys(FUNCTION_TYPES).join(', ')})`);
  const tree = await parse(lang, source);
  try {
    const out: FunctionLocation[] = [];
    const visit = (n: Node): void => {
      if (types.includes(n.type)) {
        const loc = locationOf(lang, n, source);
        if (loc) out.push(loc);
      }
      for (const c of n.namedChildren) if (c) visit(c);
    };
    visit(tree.rootNode);
    return out;
  } finally {
    tree.delete();
  }
}

/** The function called `name` (`Class.method` for methods); a clear error when absent or ambiguous. */
export async function locateFunction(lang: Language, source: string, name: string, file = '<source>'): Promise<FunctionLocation> {
  const all = await locateFunctions(lang, source);
  const hits = all.filter((f) => f.name === name || (!name.includes('.') && f.name.endsWith(`.${name}`) && f.kind === 'method'));
  const exact = hits.filter((f) => f.name === name);
  const chosen = exact.length > 0 ? exact : hits;
  if (chosen.length === 1) return chosen[0]!;
  if (chosen.length === 0) {
    const names = all.map((f) => f.name);
    const shown = names.slice(0, 12).join(', ') + (names.length > 12 ? `, and ${names.length - 12} more` : '');
    throw new AnankeError('NOT_FOUND', `no function named ${name} with a body in ${file}${names.length ? ` (functions there: ${shown})` : ''}`);
  }
  throw new AnankeError('USAGE', `${name} is ambiguous in ${file}: ${chosen.map((f) => `${f.name} at line ${f.line}`).join(', ')}; write Container.name`);
}

function locationOf(lang: Language, n: Node, source: string): FunctionLocation | undefined {
  const body = n.childForFieldName('body');
  const nameNode = n.childForFieldName('name');
  if (!body || !nameNode) return undefined;
  let start = n.startIndex;
  // Decorators and attributes belong to the declaration.
  if (lang === 'python' && n.parent?.type === 'decorated_definition') start = n.parent.startIndex;
  if (lang === 'typescript' || lang === 'tsx' || lang === 'javascript') {
    for (let p = n.previousNamedSibling; p && p.type === 'decorator'; p = p.previousNamedSibling) start = p.startIndex;
  }
  if (lang === 'rust') {
    for (let p = n.previousNamedSibling; p && p.type === 'attribute_item'; p = p.previousNamedSibling) start = p.startIndex;
  }
  // Python's block node starts at its first statement: the body is everything after the ':'.
  let bodyStart = body.startIndex;
  if (lang === 'python') {
    const colons = n.children.filter((c) => c?.type === ':' && c.endIndex <= body.startIndex);
    bodyStart = colons[colons.length - 1]?.endIndex ?? body.startIndex;
  }
  const head = source.slice(n.startIndex, bodyStart);
  const container = containerName(lang, n, source);
  const plain = nameNode.text;
  const name = container ? `${container}.${plain}` : plain;
  const before = source.slice(0, start);
  const line = before.split('\n').length;
  const column = start - (before.lastIndexOf('\n') + 1) + 1;
  return {
    name, start, bodyStart, bodyEnd: body.endIndex, end: n.endIndex, line, column,
    async: /^\s*(?:(?:export|default|public|private|protected|static|override|pub(?:\([^)]*\))?|const|unsafe)\s+)*async\b/.test(head),
    generator: n.type === 'generator_function_declaration' || /^\s*(?:async\s+)?\*|function\s*\*/.test(head),
    kind: container ? 'method' : 'function',
  };
}

function containerName(lang: Language, n: Node, source: string): string | undefined {
  if (lang === 'go' && n.type === 'method_declaration') {
    const recv = n.childForFieldName('receiver');
    const m = recv && /([A-Za-z_][A-Za-z0-9_]*)\s*(?:\[[^\]]*\])?\s*\)\s*$/.exec(source.slice(recv.startIndex, recv.endIndex));
    return m?.[1];
  }
  for (let p = n.parent; p; p = p.parent) {
    if (!CONTAINER_TYPES.has(p.type)) continue;
    if (p.type === 'impl_item') {
      const t = p.childForFieldName('type');
      return t ? (/^[A-Za-z_][A-Za-z0-9_]*/.exec(t.text)?.[0] ?? t.text) : undefined;
    }
    return p.childForFieldName('name')?.text;
  }
  return undefined;
}
