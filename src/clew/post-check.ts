/**
 * The checks a ConstraintIR asks for after generation (`postChecks`), run on real syntax trees:
 * the generated text is put back in its file (the target's range replaced), parsed with
 * tree-sitter, and only what lies in the generated range is judged. Used by `compile --check` and,
 * later, by Maze on every result. A check this module cannot run says so (`checked: false`), it is
 * never counted as satisfied.
 */
import type { Constraint, FileFacts, Language, PostCheck } from '../core/index.ts';
import { extractFile } from './extract-file.ts';
import { checkTree, findPattern } from './forbidden-pattern.ts';
import { parse } from './parser.ts';
import type { Node } from 'web-tree-sitter';

export interface Violation {
  line: number;
  column?: number;
  message: string;
}

export interface PostCheckResult {
  constraintId: string;
  kind: PostCheck['kind'];
  /** False when this check cannot be run here (the reason is in `note`). */
  checked: boolean;
  satisfied: boolean;
  violations: Violation[];
  note?: string;
}

export interface CheckedText {
  /** The whole file with the generated text in place. */
  source: string;
  language: Language;
  /** UTF-16 offsets of the generated text in `source`. */
  start: number;
  end: number;
  path?: string;
}

const escape = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

function lineOf(source: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < source.length; i++) if (source.charCodeAt(i) === 10) n++;
  return n;
}

/** Names declared in the range, by kind, from Clew's facts. */
function declared(facts: FileFacts, first: number, last: number): Array<{ name: string; kind: string; line: number }> {
  const out: Array<{ name: string; kind: string; line: number }> = [];
  const inRange = (l: number): boolean => l >= first && l <= last;
  for (const f of facts.functions) if (inRange(f.line) && f.kind !== 'constructor') out.push({ name: f.name, kind: f.kind, line: f.line });
  for (const t of facts.types) if (inRange(t.line)) out.push({ name: t.name, kind: 'type', line: t.line });
  for (const i of facts.identifiers) if (inRange(i.line)) out.push({ name: i.name, kind: i.kind, line: i.line });
  return out;
}

export async function runPostChecks(checks: readonly PostCheck[], constraints: readonly Constraint[], text: CheckedText): Promise<PostCheckResult[]> {
  const { source, language, start, end } = text;
  const first = lineOf(source, start);
  const last = lineOf(source, end);
  const generated = source.slice(start, end);
  const byId = new Map(constraints.map((c) => [c.id, c]));
  const facts = await extractFile(text.path ?? '<generated>', source, language);
  const tree = await parse(language, source);
  try {
    const root = tree.rootNode;
    const within = (at: Node | number): boolean => {
      const o = typeof at === 'number' ? at : at.startIndex;
      return o >= start && o < end;
    };
    const position = (at: Node | number): { line: number; column: number } => {
      if (typeof at !== 'number') return { line: at.startPosition.row + 1, column: at.startPosition.column + 1 };
      const line = lineOf(source, at);
      return { line, column: at - (source.lastIndexOf('\n', at - 1) + 1) + 1 };
    };
    const results: PostCheckResult[] = [];
    for (const chk of checks) {
      const r: PostCheckResult = { constraintId: chk.constraintId, kind: chk.kind, checked: true, satisfied: true, violations: [] };
      switch (chk.kind) {
        case 'naming': {
          const re = new RegExp(`^(?:${chk.regex})$`);
          for (const d of declared(facts, first, last)) {
            if (d.kind === chk.identifierKind && !re.test(d.name)) r.violations.push({ line: d.line, message: chk.style ? `${d.kind} name ${d.name} is not ${chk.style}` : `${d.kind} name ${d.name} does not match /${chk.regex}/` });
          }
          break;
        }
        case 'forbidden_identifier':
          for (const f of findPattern(root, source, { match: 'identifier', name: escape(chk.name) })) {
            if (within(f.at)) r.violations.push({ ...position(f.at), message: `uses ${chk.name}` });
          }
          break;
        case 'forbidden_call':
          for (const f of findPattern(root, source, { match: 'call', callee: escape(chk.callee) })) {
            if (within(f.at)) r.violations.push({ ...position(f.at), message: `calls ${chk.callee}: ${f.text.slice(0, 60)}` });
          }
          break;
        case 'import':
          for (const imp of facts.imports) {
            if (imp.line < first || imp.line > last) continue;
            const m = imp.module;
            const relative = m.startsWith('.') || m.startsWith('/');
            const matches = (mods: readonly string[]): boolean => mods.some((x) => m === x || m.startsWith(`${x}/`) || m.startsWith(`${x}.`) || m.startsWith(`${x}::`));
            if (chk.allowed && !relative && !matches(chk.allowed)) r.violations.push({ line: imp.line, message: `imports ${m}, not among the allowed modules` });
            if (chk.forbidden && matches(chk.forbidden)) r.violations.push({ line: imp.line, message: `imports ${m}, which is forbidden` });
          }
          break;
        case 'length': {
          const lines = generated.split('\n').length;
          if (chk.maxChars !== undefined && generated.length > chk.maxChars) r.violations.push({ line: first, message: `${generated.length} characters, more than ${chk.maxChars}` });
          if (chk.minChars !== undefined && generated.length < chk.minChars) r.violations.push({ line: first, message: `${generated.length} characters, fewer than ${chk.minChars}` });
          if (chk.maxLines !== undefined && lines > chk.maxLines) r.violations.push({ line: first, message: `${lines} lines, more than ${chk.maxLines}` });
          break;
        }
        case 'pattern': {
          const c = byId.get(chk.constraintId);
          const rule = c?.rule;
          if (rule?.type === 'forbidden_pattern') {
            for (const f of checkTree(rule, root, source, language)) {
              const at = f.line;
              if (at >= first && at <= last) r.violations.push({ line: f.line, column: f.column, message: `${rule.finding.replace(/_/g, ' ')}: ${f.text}` });
            }
          } else if (rule?.type === 'regex') {
            let re: RegExp | undefined;
            try { re = new RegExp(`^(?:${rule.pattern})$`, 'u'); } catch { re = undefined; }
            if (!re) { r.checked = false; r.note = 'the regex is not a JavaScript regex: checked by the engine only'; }
            else if (!re.test(generated)) r.violations.push({ line: first, message: `the text does not match /${rule.pattern}/` });
          } else if (rule?.type === 'type_discipline' && rule.practice === 'no_any') {
            for (const n of root.descendantsOfType('predefined_type')) {
              if (n && n.text === 'any' && within(n)) r.violations.push({ ...position(n), message: 'uses the type any' });
            }
          } else if (rule?.type === 'type_discipline') {
            for (const f of facts.functions) {
              if (f.line < first || f.line > last) continue;
              if (rule.practice === 'annotate_params') {
                for (const p of f.params) if (p.type === undefined && p.name !== 'this' && p.name !== 'self' && p.name !== 'cls') r.violations.push({ line: f.line, message: `parameter ${p.name} of ${f.name} has no type annotation` });
              } else if (f.returnType === undefined && f.kind !== 'constructor') {
                r.violations.push({ line: f.line, message: `${f.name} has no return type annotation` });
              }
            }
          } else {
            r.checked = false;
            r.note = rule ? `no post-generation check for ${rule.type}${'practice' in rule ? ` (${rule.practice})` : ''} yet: reported, not verified` : 'constraint not found';
          }
          break;
        }
      }
      r.satisfied = r.checked && r.violations.length === 0;
      results.push(r);
    }
    return results;
  } finally {
    tree.delete();
  }
}
