/**
 * `format` as regexes written from the RFCs (ECMA-262 syntax, whole-string match). Where a regex
 * must approximate, it rejects rare valid forms rather than accept invalid ones:
 * - date / date-time: day-of-month checked per month, Feb 29 only in leap years (Gregorian rule);
 * - time: leap second `:60` only at 23:59:60 in UTC (`Z` or `±00:00`);
 * - email: dot-atom local part only (quoted local parts refused), domain a hostname or `[IPv4]`;
 * - hostname: RFC 1123 labels, each ≤ 63, total ≤ 253, no `--` in positions 3–4 (so no IDNA
 *   `xn--` labels), no trailing dot;
 * - ipv6: RFC 4291 text forms, embedded IPv4 allowed, no zone id;
 * - uri: RFC 3986 absolute URI (scheme required), ASCII only; uri-reference: URI or relative reference;
 * - uri-template: RFC 6570 level 4, without the reserved operators `= , ! @ |`;
 * - json-pointer (RFC 6901) and relative-json-pointer (no index manipulation `+n`/`-n`);
 * - duration: RFC 3339 appendix A (ISO 8601 durations, weeks alone).
 */
export interface FormatDef {
  /** ECMA-262 source, matched against the whole string. */
  pattern: string;
  /** Maximum length in code points, when the RFC sets one. */
  maxLength?: number;
}

const DAY_31 = '(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])';
const DAY_30 = '(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)';
const DAY_FEB = '02-(?:0[1-9]|1[0-9]|2[0-8])';
const LEAP_YEAR = '(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)';
const DATE = `(?:[0-9]{4}-(?:${DAY_31}|${DAY_30}|${DAY_FEB})|${LEAP_YEAR}-02-29)`;
const OFFSET = '(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])';
const FRAC = '(?:\\.[0-9]+)?';
const TIME = `(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]${FRAC}${OFFSET}|23:59:60${FRAC}(?:[Zz]|[+-]00:00))`;

const A = '[A-Za-z0-9]';
const H = '[A-Za-z0-9-]';
const LABEL = `${A}(?:${A}|${H}${A}|${H}${H}${A}|${H}(?:${A}${H}|-${A})${H}{0,58}${A})?`;
const HOSTNAME = `${LABEL}(?:\\.${LABEL})*`;

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
const H16 = '[0-9A-Fa-f]{1,4}';
const LS32 = `(?:${H16}:${H16}|${IPV4})`;
const IPV6 = [
  `(?:${H16}:){6}${LS32}`,
  `::(?:${H16}:){5}${LS32}`,
  `(?:${H16})?::(?:${H16}:){4}${LS32}`,
  `(?:(?:${H16}:){0,1}${H16})?::(?:${H16}:){3}${LS32}`,
  `(?:(?:${H16}:){0,2}${H16})?::(?:${H16}:){2}${LS32}`,
  `(?:(?:${H16}:){0,3}${H16})?::${H16}:${LS32}`,
  `(?:(?:${H16}:){0,4}${H16})?::${LS32}`,
  `(?:(?:${H16}:){0,5}${H16})?::${H16}`,
  `(?:(?:${H16}:){0,6}${H16})?::`,
].map((x) => `(?:${x})`).join('|');

const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
const EMAIL = `${ATEXT}+(?:\\.${ATEXT}+)*@(?:${HOSTNAME}|\\[${IPV4}\\])`;

const UNRESERVED = '[A-Za-z0-9._~-]';
const PCT = '%[0-9A-Fa-f]{2}';
const SUB_DELIMS = "[!$&'()*+,;=]";
const PCHAR = `(?:${UNRESERVED}|${PCT}|${SUB_DELIMS}|[:@])`;
const SEGMENT = `${PCHAR}*`;
const SEGMENT_NZ = `${PCHAR}+`;
const IPVFUTURE = `[vV][0-9A-Fa-f]+\\.(?:${UNRESERVED}|${SUB_DELIMS}|:)+`;
const HOST = `(?:\\[(?:${IPV6}|${IPVFUTURE})\\]|${IPV4}|(?:${UNRESERVED}|${PCT}|${SUB_DELIMS})*)`;
const AUTHORITY = `(?:(?:${UNRESERVED}|${PCT}|${SUB_DELIMS}|:)*@)?${HOST}(?::[0-9]*)?`;
const HIER = `(?://${AUTHORITY}(?:/${SEGMENT})*|/(?:${SEGMENT_NZ}(?:/${SEGMENT})*)?|${SEGMENT_NZ}(?:/${SEGMENT})*|)`;
const URI = `[A-Za-z][A-Za-z0-9+.-]*:${HIER}(?:\\?(?:${PCHAR}|[/?])*)?(?:#(?:${PCHAR}|[/?])*)?`;

const RELATIVE_PART = `(?://${AUTHORITY}(?:/${SEGMENT})*|/(?:${SEGMENT_NZ}(?:/${SEGMENT})*)?|(?:${UNRESERVED}|${PCT}|${SUB_DELIMS}|@)+(?:/${SEGMENT})*|)`;
const URI_REFERENCE = `(?:${URI}|${RELATIVE_PART}(?:\\?(?:${PCHAR}|[/?])*)?(?:#(?:${PCHAR}|[/?])*)?)`;

const JSON_POINTER = '(?:/(?:[^~/]|~[01])*)*';
const RELATIVE_JSON_POINTER = `(?:0|[1-9][0-9]*)(?:#|${JSON_POINTER})`;

// RFC 6570 level 4; the operators reserved for future use (= , ! @ |) are refused.
const UCS = '\\u{A0}-\\u{D7FF}\\u{E000}-\\u{FDCF}\\u{FDF0}-\\u{FFEF}\\u{10000}-\\u{1FFFD}\\u{20000}-\\u{2FFFD}\\u{30000}-\\u{3FFFD}\\u{E1000}-\\u{EFFFD}\\u{F0000}-\\u{FFFFD}\\u{100000}-\\u{10FFFD}';
const TEMPLATE_LITERAL = `(?:[!#$&(-;=?-\\[\\]_a-z~${UCS}]|${PCT})`;
const VARCHAR = `(?:[A-Za-z0-9_]|${PCT})`;
const VARSPEC = `${VARCHAR}(?:\\.?${VARCHAR})*(?::[1-9][0-9]{0,3}|\\*)?`;
const URI_TEMPLATE = `(?:${TEMPLATE_LITERAL}|\\{[+#./;?&]?${VARSPEC}(?:,${VARSPEC})*\\})*`;

const DUR_TIME = 'T(?:[0-9]+H(?:[0-9]+M(?:[0-9]+S)?)?|[0-9]+M(?:[0-9]+S)?|[0-9]+S)';
const DUR_DATE = `(?:[0-9]+Y(?:[0-9]+M(?:[0-9]+D)?)?|[0-9]+M(?:[0-9]+D)?|[0-9]+D)(?:${DUR_TIME})?`;
const DURATION = `P(?:${DUR_DATE}|${DUR_TIME}|[0-9]+W)`;

export const FORMATS: Readonly<Record<string, FormatDef>> = {
  'date-time': { pattern: `${DATE}[Tt]${TIME}` },
  date: { pattern: DATE },
  time: { pattern: TIME },
  duration: { pattern: DURATION },
  email: { pattern: EMAIL, maxLength: 320 },
  hostname: { pattern: HOSTNAME, maxLength: 253 },
  ipv4: { pattern: IPV4 },
  ipv6: { pattern: `(?:${IPV6})` },
  uuid: { pattern: '[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}' },
  uri: { pattern: URI },
  'uri-reference': { pattern: URI_REFERENCE },
  'uri-template': { pattern: URI_TEMPLATE },
  'json-pointer': { pattern: JSON_POINTER },
  'relative-json-pointer': { pattern: RELATIVE_JSON_POINTER },
};

const jsCache = new Map<string, RegExp>();

/** Whether a string has the format (the same definition the grammar uses). */
export function formatTest(name: string, s: string): boolean {
  const def = FORMATS[name];
  if (def === undefined) return false;
  let re = jsCache.get(name);
  if (re === undefined) {
    re = new RegExp(`^(?:${def.pattern})$`, 'u');
    jsCache.set(name, re);
  }
  return re.test(s) && (def.maxLength === undefined || [...s].length <= def.maxLength);
}

/**
 * Format names defined by some JSON Schema draft (draft-03 to 2020-12). One of these that FORMATS
 * lacks cannot be enforced (an error, or a relaxation in lenient mode); any other name (`url`,
 * `byte`, `path`) is defined by no draft and is an annotation, ignored and reported.
 */
export const STANDARD_FORMATS: ReadonlySet<string> = new Set([
  'date-time', 'date', 'time', 'duration', 'email', 'idn-email', 'hostname', 'idn-hostname', 'ipv4', 'ipv6',
  'uri', 'uri-reference', 'iri', 'iri-reference', 'uuid', 'uri-template', 'json-pointer', 'relative-json-pointer',
  'regex', 'host-name', 'ip-address', 'color', 'style', 'phone', 'utc-millisec',
]);
