/** The languages Clew reads. `tsx` is TypeScript with JSX; it has its own tree-sitter grammar. */
export const LANGUAGES = [
  'typescript', 'tsx', 'javascript', 'python', 'rust', 'go', 'java',
  'c', 'cpp', 'csharp', 'ruby', 'php', 'kotlin', 'swift', 'zig',
] as const;

export type Language = (typeof LANGUAGES)[number];

export function isLanguage(s: string): s is Language {
  return (LANGUAGES as readonly string[]).includes(s);
}
