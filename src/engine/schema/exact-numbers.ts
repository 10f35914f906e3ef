/**
 * JSON numbers as exact decimals. The post-check (validate.ts) decides numbers on the doubles
 * JSON.parse gives, which is exact only when the double holds the number the text writes: `1e400`
 * parses to Infinity (no longer an integer), `9007199254740993` to its neighbour, and a `oneOf` or
 * `not` could then accept what the schema refuses. So the post-check first asks whether every
 * number of the document is held exactly, and refuses the document when one is not.
 */

/** A decimal `(negative ? -1 : 1) × digits × 10^exp`, digits without trailing zeros (0 for zero). */
interface Decimal {
  negative: boolean;
  digits: bigint;
  exp: number;
}

const NUMBER_TEXT = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** The exact value a JSON number's text (or JavaScript's String of a finite number) writes. */
function decimalOf(text: string): Decimal | null {
  const m = NUMBER_TEXT.exec(text);
  if (m === null) return null;
  let body = m[2]! + (m[3] ?? '');
  let exp = Number(m[4] ?? '0') - (m[3]?.length ?? 0);
  const trimmed = body.replace(/0+$/, '');
  exp += body.length - trimmed.length;
  body = trimmed.replace(/^0+/, '');
  if (body === '') return { negative: false, digits: 0n, exp: 0 };
  return { negative: m[1] === '-', digits: BigInt(body), exp };
}

/** Whether the double JSON.parse makes of this number text is exactly the number written. */
export function heldExactly(text: string): boolean {
  const x = Number(text);
  if (!Number.isFinite(x)) return false;
  // String(x) is the shortest decimal that rounds to x; the text is held exactly when it writes
  // that decimal's value (`1.0`, `1E+2` and `100` all do).
  const a = decimalOf(text);
  const b = decimalOf(String(x));
  return a !== null && b !== null && a.negative === b.negative && a.digits === b.digits && a.exp === b.exp;
}

/** The first number in a JSON text that no double holds exactly, or undefined. */
export function firstInexactNumber(json: string): string | undefined {
  const number = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  for (let i = 0; i < json.length; ) {
    const c = json[i]!;
    if (c === '"') {
      // Skip the string (its digits are not numbers).
      i++;
      while (i < json.length && json[i] !== '"') i += json[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      number.lastIndex = i;
      const m = number.exec(json);
      if (m === null) return json.slice(i, i + 20);
      if (!heldExactly(m[0])) return m[0];
      i += m[0].length;
    } else i++;
  }
  return undefined;
}

/**
 * x is an integer multiple of m, decided on the decimals the doubles stand for (their shortest
 * round-trip text), so neither floating division nor exponent notation (`1e-7`) can misjudge it.
 */
export function isMultiple(x: number, m: number): boolean {
  if (!Number.isFinite(x) || !Number.isFinite(m) || m === 0) return false;
  const a = decimalOf(String(x))!;
  const b = decimalOf(String(m))!;
  if (a.digits === 0n) return true;
  const e = Math.min(a.exp, b.exp);
  return (a.digits * 10n ** BigInt(a.exp - e)) % (b.digits * 10n ** BigInt(b.exp - e)) === 0n;
}
