/**
 * Evaluates structured security rules (`forbidden_pattern`, with CodePattern matchers from
 * src/core/constraint.ts) on source text: parse with tree-sitter, find each pattern written for the
 * file's language, and report where it occurs. This is the check a generated file goes through
 * (and what Braid can map to enforcement); the extraction-time scanner (security.ts) reports the
 * same shapes in existing code.
 */
import type { Node } from 'web-tree-sitter';
import type { CodePattern, Language, Rule, SecurityFinding } from '../core/index.ts';
import { parse } from './parser.ts';
import {
  CALL_TYPES, STRING_TYPES, argNodes, argsOf, calleeText, hasInterpolation, inComment, isBuiltString, isPlainString,
  Positions, snippet,
} from './node-query.ts';
import { isSecretValue, stringBuilder, unquoted } from './security.ts';

export type ForbiddenPatternRule = Extract<Rule, { type: 'forbidden_pattern' }>;

/** One place where a forbidden pattern occurs. Lines and columns are 1-based. */
export interface PatternFinding {
  finding: SecurityFinding;
  pattern: CodePattern;
  line: number;
  column: number;
  /** The matched code, one line, shortened (secrets are matched, never echoed whole: see `text`). */
  text: string;
}

const ASSIGNMENT_TYPES = ['assignment_expression', 'augmented_assignment_expression', 'assignment', 'augmented_assignment'];
/** Name nodes (a JSX attribute's name is a property_identifier). */
const NAME_TYPES = ['identifier', 'property_identifier', 'field_identifier', 'shorthand_property_identifier'];
/** Text before a string literal that assigns it to a name: `name = `, `name: T = `, `"name": `, `name => `, `name := `. */
const ASSIGNED_NAME = /([\w$]+)['"]?\s*(?::\s*[\w.<>[\]|?]{1,40}\s*)?(?::=|=>|=|:)\s*$/;

/** Whole-match and anywhere regexes, compiled once per pattern source. */
const compiled = new Map<string, RegExp>();
function re(source: string, flags: string): RegExp {
  const key = `${flags}/${source}`;
  let r = compiled.get(key);
  if (!r) compiled.set(key, (r = new RegExp(source, flags)));
  return r;
}
const whole = (source: string): RegExp => re(`^(?:${source})$`, '');

/** Where `pattern` occurs in a parsed file: the nodes (or, for `text`, source offsets) it matches, in order. */
export function findPattern(root: Node, source: string, pattern: CodePattern): { at: Node | number; text: string }[] {
  const out: { at: Node | number; text: string }[] = [];
  switch (pattern.match) {
    case 'call': {
      const callee = whole(pattern.callee);
      const unless = pattern.unless === undefined ? undefined : re(pattern.unless, '');
      for (const call of root.descendantsOfType([...CALL_TYPES])) {
        if (!call || !callee.test(calleeText(call, source))) continue;
        const text = source.slice(call.startIndex, call.endIndex);
        if (unless && unless.test(text)) continue;
        if (pattern.keyword !== undefined && !hasKeyword(call, pattern.keyword)) continue;
        if (pattern.argument && !argumentMatches(call, source, pattern.argument.shape, pattern.argument.index)) continue;
        out.push({ at: call, text });
      }
      return out;
    }
    case 'built_string': {
      const text = re(pattern.text, 'i');
      const done = new Set<number>();
      for (const str of root.descendantsOfType([...STRING_TYPES])) {
        if (!str || (str.parent && STRING_TYPES.has(str.parent.type))) continue;
        const builder = stringBuilder(str, source);
        if (!builder || done.has(builder.id)) continue;
        done.add(builder.id);
        const t = source.slice(builder.startIndex, builder.endIndex);
        if (text.test(t)) out.push({ at: builder, text: t });
      }
      return out;
    }
    case 'string_assignment': {
      const name = re(`^(?:${pattern.name})$`, 'i');
      for (const str of root.descendantsOfType([...STRING_TYPES])) {
        if (!str || !str.isNamed || (str.parent && STRING_TYPES.has(str.parent.type)) || hasInterpolation(str)) continue;
        const lineStart = source.lastIndexOf('\n', str.startIndex - 1) + 1;
        const m = ASSIGNED_NAME.exec(source.slice(lineStart, str.startIndex));
        if (!m || !name.test(m[1]!) || !isSecretValue(unquoted(str.text))) continue;
        out.push({ at: lineStart + m.index, text: `${m[1]} = <string literal>` });
      }
      return out;
    }
    case 'property_assignment': {
      const property = whole(pattern.property);
      for (const a of root.descendantsOfType(ASSIGNMENT_TYPES)) {
        const left = a?.childForFieldName('left');
        const prop = left && (left.childForFieldName('property') ?? left.childForFieldName('attribute') ?? left.childForFieldName('field'));
        if (a && prop && property.test(prop.text)) out.push({ at: a, text: source.slice(a.startIndex, a.endIndex) });
      }
      return out;
    }
    case 'identifier': {
      const name = whole(pattern.name);
      for (const n of root.descendantsOfType(NAME_TYPES)) {
        if (n && name.test(n.text) && !inComment(n)) out.push({ at: n, text: n.text });
      }
      return out;
    }
    case 'text': {
      const r = re(pattern.regex, 'g');
      r.lastIndex = 0;
      for (let m = r.exec(source); m; m = r.exec(source)) out.push({ at: m.index, text: pattern.what });
      return out;
    }
  }
}

/** Whether one of the call's arguments is `keyword` (`shell=True`), spaces aside. */
function hasKeyword(call: Node, keyword: string): boolean {
  const args = argsOf(call);
  if (!args) return false;
  const want = keyword.replace(/\s+/g, '');
  for (const a of args.namedChildren) if (a && a.text.replace(/\s+/g, '') === want) return true;
  return false;
}

function argumentMatches(call: Node, source: string, shape: 'any' | 'not_constant' | 'built', index: number | undefined): boolean {
  const args = argNodes(call);
  const candidates = index === undefined ? args : args.slice(index, index + 1);
  return candidates.some((a) => shape === 'any' || (shape === 'not_constant' ? !isPlainString(a) : isBuiltString(a, source)));
}

/** The findings of a rule in one parsed file of `language`, in source order. */
export function checkTree(rule: ForbiddenPatternRule, root: Node, source: string, language: Language): PatternFinding[] {
  const out: PatternFinding[] = [];
  const positions = new Positions(source);
  for (const { languages, pattern } of rule.patterns) {
    if (!languages.includes(language)) continue;
    for (const { at, text } of findPattern(root, source, pattern)) {
      const { line, column } = positions.of(at);
      out.push({ finding: rule.finding, pattern, line, column, text: snippet(text) });
    }
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Parses `source` as `language` and returns where the rule's patterns occur in it. */
export async function checkForbiddenPattern(rule: ForbiddenPatternRule, source: string, language: Language): Promise<PatternFinding[]> {
  const tree = await parse(language, source);
  try {
    return checkTree(rule, tree.rootNode, source, language);
  } finally {
    tree.delete();
  }
}
