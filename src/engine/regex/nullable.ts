import type { Regex } from './ast.ts';

/** Whether `re` matches the empty string (decided on the structure, exactly). */
export function nullable(re: Regex): boolean {
  switch (re.kind) {
    case 'empty':
      return true;
    case 'never':
    case 'chars':
    case 'bytes':
      return false;
    case 'concat':
    case 'and':
      return re.items.every(nullable);
    case 'alt':
      return re.items.some(nullable);
    case 'repeat':
      return re.min === 0 || nullable(re.item);
    case 'not':
      return !nullable(re.item);
  }
}
