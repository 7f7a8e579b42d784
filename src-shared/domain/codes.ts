// Division and grid codes (DOMAIN.md "Space").
//
// The national statistical division codes are hierarchical digit strings, so a code's length
// tells its level and every ancestor is a segment-aligned prefix:
//
//   level    digits  example            segments
//   city       4     4419               province 44 · prefecture 19
//   county     6     441900             + county 00
//   town       9     441900106          + town 106
//   village   12     441900106001       + village 001
//   grid      15     441900106001003    + grid 003 (our own: base-grid sequence inside a village)
//
// Dongguan has no districts: its towns hang directly under the city, and the 6-digit county code
// 441900 is the prefecture's own county-level form (the same area as 4419). In general a 6-digit
// code ending in "00" (440300, 441900) denotes the whole prefecture, so we treat it as an alias of
// the 4-digit code when comparing areas; otherwise a seat bound to 441900 would not see a case held
// at 4419 although both mean "all of Dongguan".
//
// Town segment ranges (national rules): 001–099 streets 街道, 100–199 towns 镇, 200–399 townships
// 乡 (rural, reported as 'town'), 400+ special zones such as 松山湖 or an airport.

export const CODE_LEVELS = ['city', 'county', 'town', 'village', 'grid'] as const;
export type CodeLevel = (typeof CODE_LEVELS)[number];

/** Code length of each level. */
export const CODE_LENGTHS: Readonly<Record<CodeLevel, number>> = {
  city: 4,
  county: 6,
  town: 9,
  village: 12,
  grid: 15,
};

const LEVEL_BY_LENGTH: ReadonlyMap<number, CodeLevel> = new Map(
  CODE_LEVELS.map((level) => [CODE_LENGTHS[level], level] as const),
);

/** Each segment's local digits; null when the code stops above that level. */
export interface CodeParts {
  province: string;
  prefecture: string;
  county: string | null;
  town: string | null;
  village: string | null;
  grid: string | null;
}

export interface ParsedCode {
  level: CodeLevel;
  code: string;
  parts: CodeParts;
}

export type CodeErrorCode =
  'NOT_STRING' | 'EMPTY' | 'NOT_DIGITS' | 'BAD_LENGTH' | 'ZERO_SEGMENT' | 'NOT_VILLAGE' | 'BAD_SEQUENCE';

export type CodeResult<T> = { ok: true; value: T } | { ok: false; code: CodeErrorCode; reason: string };

export type TownKind = 'street' | 'town' | 'special';

const ASCII_DIGITS = /^[0-9]+$/;

function fail(code: CodeErrorCode, reason: string): { ok: false; code: CodeErrorCode; reason: string } {
  return { ok: false, code, reason };
}

/** JSON.stringify keeps invisible characters (tabs, full-width digits, NBSP) readable in reasons. */
function show(input: unknown): string {
  return typeof input === 'string' ? JSON.stringify(input) : String(input);
}

function segment(code: string, from: number, to: number): string | null {
  return code.length >= to ? code.slice(from, to) : null;
}

/**
 * Parses a division or grid code. Only ASCII digits are accepted: whitespace, signs and
 * full-width digits (０-９) are refused rather than normalised, because a code that needed
 * cleaning came from somewhere that should be fixed.
 */
export function parseCode(input: unknown): CodeResult<ParsedCode> {
  if (typeof input !== 'string') return fail('NOT_STRING', `code must be a string, got ${typeof input}`);
  if (input.length === 0) return fail('EMPTY', 'code is empty');
  if (!ASCII_DIGITS.test(input)) {
    return fail('NOT_DIGITS', `code ${show(input)} must contain only the ASCII digits 0-9`);
  }
  const level = LEVEL_BY_LENGTH.get(input.length);
  if (level === undefined) {
    return fail(
      'BAD_LENGTH',
      `code ${show(input)} has ${input.length} digits; expected 4 (city), 6 (county), 9 (town), 12 (village) or 15 (grid)`,
    );
  }
  const parts: CodeParts = {
    province: input.slice(0, 2),
    prefecture: input.slice(2, 4),
    county: segment(input, 4, 6),
    town: segment(input, 6, 9),
    village: segment(input, 9, 12),
    grid: segment(input, 12, 15),
  };
  // The county segment may be "00" (the prefecture's own county-level part); no other may be zero.
  const zeroChecks: ReadonlyArray<readonly [keyof CodeParts, string | null]> = [
    ['province', parts.province],
    ['prefecture', parts.prefecture],
    ['town', parts.town],
    ['village', parts.village],
    ['grid', parts.grid],
  ];
  for (const [name, digits] of zeroChecks) {
    if (digits !== null && /^0+$/.test(digits)) {
      return fail('ZERO_SEGMENT', `code ${show(input)} has an all-zero ${name} segment "${digits}"`);
    }
  }
  return { ok: true, value: { level, code: input, parts } };
}

export function levelOf(code: string): CodeLevel | null {
  const parsed = parseCode(code);
  return parsed.ok ? parsed.value.level : null;
}

export function isValidCode(code: unknown): code is string {
  return parseCode(code).ok;
}

function isValidAt(code: unknown, level: CodeLevel): code is string {
  const parsed = parseCode(code);
  return parsed.ok && parsed.value.level === level;
}

export function isValidCityCode(code: unknown): code is string {
  return isValidAt(code, 'city');
}
export function isValidCountyCode(code: unknown): code is string {
  return isValidAt(code, 'county');
}
export function isValidTownCode(code: unknown): code is string {
  return isValidAt(code, 'town');
}
export function isValidVillageCode(code: unknown): code is string {
  return isValidAt(code, 'village');
}
export function isValidGridCode(code: unknown): code is string {
  return isValidAt(code, 'grid');
}

/** Builds a base-grid code from its village and its 1–999 sequence number inside the village. */
export function formatGridCode(villageCode: string, seq: number): CodeResult<string> {
  const parsed = parseCode(villageCode);
  if (!parsed.ok) return fail(parsed.code, parsed.reason);
  if (parsed.value.level !== 'village') {
    return fail(
      'NOT_VILLAGE',
      `${show(villageCode)} is a ${parsed.value.level} code, not a 12-digit village code`,
    );
  }
  if (!Number.isInteger(seq) || seq < 1 || seq > 999) {
    return fail('BAD_SEQUENCE', `grid sequence ${String(seq)} must be an integer from 1 to 999`);
  }
  return { ok: true, value: villageCode + String(seq).padStart(3, '0') };
}

/**
 * The next code up the jurisdiction tree, or null for a city (the top we model) and for invalid
 * input. A town's parent is its county unless the county is the prefecture's own "00" part, in
 * which case the town hangs directly under the city (Dongguan: 441900106 → 4419; Bao'an:
 * 440306017 → 440306).
 */
export function parentCode(code: string): string | null {
  const parsed = parseCode(code);
  if (!parsed.ok) return null;
  switch (parsed.value.level) {
    case 'city':
      return null;
    case 'county':
      return code.slice(0, 4);
    case 'town': {
      const county = code.slice(0, 6);
      return county.endsWith('00') ? code.slice(0, 4) : county;
    }
    case 'village':
      return code.slice(0, 9);
    case 'grid':
      return code.slice(0, 12);
  }
}

/** Ancestors from the top down, excluding the code itself; [] for a city or invalid input. */
export function ancestors(code: string): string[] {
  const chain: string[] = [];
  for (let up = parentCode(code); up !== null; up = parentCode(up)) chain.unshift(up);
  return chain;
}

/** XXXX00 → XXXX: both name the whole prefecture. */
function canonicalArea(code: string): string {
  return code.length === 6 && code.endsWith('00') ? code.slice(0, 4) : code;
}

/**
 * True when `code` lies in the area of `scopeCode` (itself included). Both must be valid codes:
 * a plain `startsWith` would let an empty or truncated scope ("" or "44190") match everything.
 * Valid codes have segment-aligned lengths, so a prefix of a valid code is an ancestor.
 */
export function isWithin(code: string, scopeCode: string): boolean {
  if (!isValidCode(code) || !isValidCode(scopeCode)) return false;
  return canonicalArea(code).startsWith(canonicalArea(scopeCode));
}

/**
 * Strict tree ancestry: `a` is above `b`. For the alias pair the tree order decides
 * (4419 is the parent of 441900, never the reverse), and a code is never its own ancestor.
 */
export function isAncestorOf(a: string, b: string): boolean {
  if (a === b || !isWithin(b, a)) return false;
  if (canonicalArea(a) === canonicalArea(b)) return a.length < b.length;
  return true;
}

/** Kind of the town-level unit named by a code at town level or below; null otherwise. */
export function townKind(code: string): TownKind | null {
  const parsed = parseCode(code);
  if (!parsed.ok || parsed.value.parts.town === null) return null;
  const n = Number(parsed.value.parts.town);
  if (n < 100) return 'street';
  if (n < 400) return 'town';
  return 'special';
}
