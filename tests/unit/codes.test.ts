import { describe, expect, it } from 'vitest';
import {
  CODE_LENGTHS,
  ancestors,
  formatGridCode,
  isAncestorOf,
  isValidCityCode,
  isValidCode,
  isValidCountyCode,
  isValidGridCode,
  isValidTownCode,
  isValidVillageCode,
  isWithin,
  levelOf,
  parentCode,
  parseCode,
  townKind,
} from '../../src-shared/domain/codes';

const CITY = '4419';
const COUNTY = '441900';
const TOWN = '441900106'; // 横沥镇
const VILLAGE = '441900106001';
const GRID = '441900106001003';
// Bao'an, Shenzhen: a real district between city and street.
const BAOAN = '440306';
const XINAN = '440306017'; // 新安街道
const XINAN_VILLAGE = '440306017001';

function errorCode(input: unknown): string | null {
  const r = parseCode(input);
  return r.ok ? null : r.code;
}

describe('parseCode', () => {
  it.each([
    [CITY, 'city'],
    [COUNTY, 'county'],
    [TOWN, 'town'],
    [VILLAGE, 'village'],
    [GRID, 'grid'],
    [BAOAN, 'county'],
  ] as const)('%s is a %s code', (code, level) => {
    const r = parseCode(code);
    expect(r.ok && [r.value.code, r.value.level]).toEqual([code, level]);
  });

  it('splits a grid code into every segment', () => {
    const r = parseCode(GRID);
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.parts).toEqual({
      province: '44',
      prefecture: '19',
      county: '00',
      town: '106',
      village: '001',
      grid: '003',
    });
  });

  it('leaves the segments below the level null', () => {
    const r = parseCode(CITY);
    if (!r.ok) throw new Error(r.reason);
    expect(r.value.parts).toEqual({
      province: '44',
      prefecture: '19',
      county: null,
      town: null,
      village: null,
      grid: null,
    });
    const t = parseCode(XINAN);
    if (!t.ok) throw new Error(t.reason);
    expect(t.value.parts.county).toBe('06');
    expect(t.value.parts.town).toBe('017');
    expect(t.value.parts.village).toBeNull();
  });

  it('lengths table matches the levels', () => {
    expect(CODE_LENGTHS).toEqual({ city: 4, county: 6, town: 9, village: 12, grid: 15 });
  });

  it('rejects non-strings', () => {
    for (const bad of [undefined, null, 4419, 441900106n, {}, ['4419']]) {
      expect(errorCode(bad)).toBe('NOT_STRING');
    }
  });

  it('rejects the empty string', () => {
    expect(errorCode('')).toBe('EMPTY');
  });

  it.each([
    [' 4419', 'leading space'],
    ['4419 ', 'trailing space'],
    ['4419\n', 'newline'],
    ['44\t19', 'tab'],
    ['441 900', 'inner space'],
    ['４４１９', 'full-width digits'],
    ['44１9', 'one full-width digit'],
    ['+4419', 'plus sign'],
    ['-4419', 'minus sign'],
    ['4419.0', 'decimal point'],
    ['44a9', 'letter'],
    ['4419\u00a0', 'no-break space'],
    ['٤٤١٩', 'Arabic-Indic digits'],
  ])('rejects %j (%s) as NOT_DIGITS and quotes it', (input) => {
    const r = parseCode(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('NOT_DIGITS');
    expect(r.reason).toContain(JSON.stringify(input));
  });

  it.each([
    '4',
    '44',
    '441',
    '44190',
    '4419001',
    '44190010',
    '4419001060',
    '44190010600',
    '4419001060010',
    '44190010600100',
    '4419001060010030',
  ])('rejects %s as BAD_LENGTH with the length in the reason', (input) => {
    const r = parseCode(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('BAD_LENGTH');
    expect(r.reason).toContain(`${input.length} digits`);
    expect(r.reason).toContain(input);
  });

  it.each([
    ['0019', 'province'],
    ['4400', 'prefecture'],
    ['440000', 'prefecture'],
    ['441900000', 'town'],
    ['441900000001', 'town'],
    ['441900106000', 'village'],
    ['441900106000001', 'village'],
    ['441900106001000', 'grid'],
  ])('rejects %s: all-zero %s segment', (input, segmentName) => {
    const r = parseCode(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('ZERO_SEGMENT');
    expect(r.reason).toContain(segmentName);
    expect(r.reason).toContain(input);
  });

  it('accepts the county segment 00 (the prefecture itself) but checks deeper segments', () => {
    expect(parseCode('441900').ok).toBe(true);
    expect(parseCode('441900401').ok).toBe(true);
  });
});

describe('levelOf and isValid*', () => {
  it('levelOf returns the level or null', () => {
    expect(levelOf(CITY)).toBe('city');
    expect(levelOf(COUNTY)).toBe('county');
    expect(levelOf(TOWN)).toBe('town');
    expect(levelOf(VILLAGE)).toBe('village');
    expect(levelOf(GRID)).toBe('grid');
    expect(levelOf('44190')).toBeNull();
    expect(levelOf('')).toBeNull();
  });

  it('each isValid* accepts exactly its level', () => {
    const checks = [
      [isValidCityCode, CITY],
      [isValidCountyCode, COUNTY],
      [isValidTownCode, TOWN],
      [isValidVillageCode, VILLAGE],
      [isValidGridCode, GRID],
    ] as const;
    const all = [CITY, COUNTY, TOWN, VILLAGE, GRID];
    for (const [check, own] of checks) {
      for (const code of all) expect(check(code)).toBe(code === own);
      expect(check('441900106001000')).toBe(false);
      expect(check(' ' + own)).toBe(false);
      expect(check(Number(own))).toBe(false);
    }
  });

  it('isValidCode accepts every level and refuses junk', () => {
    for (const code of [CITY, COUNTY, TOWN, VILLAGE, GRID]) expect(isValidCode(code)).toBe(true);
    for (const bad of ['', '4400', '44190', null, 4419]) expect(isValidCode(bad)).toBe(false);
  });
});

describe('formatGridCode', () => {
  it('pads the sequence to three digits', () => {
    expect(formatGridCode(VILLAGE, 1)).toEqual({ ok: true, value: '441900106001001' });
    expect(formatGridCode(VILLAGE, 42)).toEqual({ ok: true, value: '441900106001042' });
    expect(formatGridCode(VILLAGE, 999)).toEqual({ ok: true, value: '441900106001999' });
  });

  it('round-trips through parseCode', () => {
    const r = formatGridCode(XINAN_VILLAGE, 7);
    if (!r.ok) throw new Error(r.reason);
    const p = parseCode(r.value);
    expect(p.ok && p.value.level).toBe('grid');
    expect(p.ok && p.value.parts.grid).toBe('007');
  });

  it.each([0, -1, 1000, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses sequence %s', (seq) => {
    const r = formatGridCode(VILLAGE, seq);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('BAD_SEQUENCE');
    expect(r.reason).toContain(String(seq));
  });

  it('refuses a code of another level', () => {
    for (const code of [CITY, COUNTY, TOWN, GRID]) {
      const r = formatGridCode(code, 1);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.code).toBe('NOT_VILLAGE');
      expect(r.reason).toContain(code);
    }
  });

  it('passes through the parse error of an invalid village code', () => {
    expect(formatGridCode('', 1)).toMatchObject({ ok: false, code: 'EMPTY' });
    expect(formatGridCode('441900106ab1', 1)).toMatchObject({ ok: false, code: 'NOT_DIGITS' });
    expect(formatGridCode('441900106000', 1)).toMatchObject({ ok: false, code: 'ZERO_SEGMENT' });
  });
});

describe('parentCode and ancestors', () => {
  it('walks grid → village → town → city for Dongguan', () => {
    expect(parentCode(GRID)).toBe(VILLAGE);
    expect(parentCode(VILLAGE)).toBe(TOWN);
    expect(parentCode(TOWN)).toBe(CITY); // 441900 is the city itself, so it is skipped
    expect(parentCode(CITY)).toBeNull();
  });

  it("keeps a real county between town and city (Bao'an)", () => {
    expect(parentCode(XINAN_VILLAGE)).toBe(XINAN);
    expect(parentCode(XINAN)).toBe(BAOAN);
    expect(parentCode(BAOAN)).toBe('4403');
  });

  it('gives a county code its prefecture', () => {
    expect(parentCode(COUNTY)).toBe(CITY);
  });

  it('returns null for invalid input', () => {
    expect(parentCode('')).toBeNull();
    expect(parentCode('44190010600')).toBeNull();
    expect(parentCode('441900106000')).toBeNull();
  });

  it('lists ancestors top-down without the code itself', () => {
    expect(ancestors(GRID)).toEqual([CITY, TOWN, VILLAGE]);
    expect(ancestors(TOWN)).toEqual([CITY]);
    expect(ancestors(CITY)).toEqual([]);
    expect(ancestors(COUNTY)).toEqual([CITY]);
    expect(ancestors('440306017001005')).toEqual(['4403', BAOAN, XINAN, XINAN_VILLAGE]);
    expect(ancestors('bad')).toEqual([]);
  });
});

describe('isWithin / isAncestorOf', () => {
  it('a scope contains itself and everything below it', () => {
    for (const code of [CITY, TOWN, VILLAGE, GRID]) expect(isWithin(code, CITY)).toBe(true);
    for (const code of [TOWN, VILLAGE, GRID]) expect(isWithin(code, TOWN)).toBe(true);
    expect(isWithin(GRID, VILLAGE)).toBe(true);
    expect(isWithin(GRID, GRID)).toBe(true);
  });

  it('a scope does not contain what is above or beside it', () => {
    expect(isWithin(CITY, TOWN)).toBe(false);
    expect(isWithin(TOWN, VILLAGE)).toBe(false);
    expect(isWithin('441900107001001', TOWN)).toBe(false); // neighbouring town 桥头
    expect(isWithin('441900106002001', VILLAGE)).toBe(false); // neighbouring village
    expect(isWithin(XINAN, CITY)).toBe(false); // another city
    expect(isWithin(CITY, XINAN)).toBe(false);
  });

  it('refuses invalid or truncated scopes that a bare startsWith would accept', () => {
    expect(isWithin(GRID, '')).toBe(false);
    expect(isWithin(GRID, '44')).toBe(false);
    expect(isWithin(GRID, '44190')).toBe(false);
    expect(isWithin(GRID, '4419001')).toBe(false);
    expect(isWithin(GRID, '44190010600')).toBe(false);
    expect(isWithin(GRID, ' 4419')).toBe(false);
    expect(isWithin('4419001060010039', CITY)).toBe(false); // code itself invalid
    expect(isWithin('', CITY)).toBe(false);
  });

  it('treats 441900 and 4419 as the same area', () => {
    expect(isWithin(GRID, COUNTY)).toBe(true);
    expect(isWithin(TOWN, COUNTY)).toBe(true);
    expect(isWithin(CITY, COUNTY)).toBe(true);
    expect(isWithin(COUNTY, CITY)).toBe(true);
    expect(isWithin('440300', '4403')).toBe(true);
    expect(isWithin(BAOAN, '440300')).toBe(true);
  });

  it('a real county is narrower than its city', () => {
    expect(isWithin(BAOAN, '4403')).toBe(true);
    expect(isWithin('4403', BAOAN)).toBe(false);
    expect(isWithin('440307001', BAOAN)).toBe(false); // a street of another district
  });

  it('isAncestorOf is strict and follows the tree', () => {
    expect(isAncestorOf(CITY, GRID)).toBe(true);
    expect(isAncestorOf(TOWN, VILLAGE)).toBe(true);
    expect(isAncestorOf(VILLAGE, GRID)).toBe(true);
    expect(isAncestorOf(GRID, GRID)).toBe(false);
    expect(isAncestorOf(CITY, CITY)).toBe(false);
    expect(isAncestorOf(GRID, VILLAGE)).toBe(false);
    expect(isAncestorOf(TOWN, '441900107001')).toBe(false);
    expect(isAncestorOf('', GRID)).toBe(false);
    expect(isAncestorOf('44190', GRID)).toBe(false);
  });

  it('orders the alias pair 4419 > 441900 and lets 441900 act as the city for descendants', () => {
    expect(isAncestorOf(CITY, COUNTY)).toBe(true);
    expect(isAncestorOf(COUNTY, CITY)).toBe(false);
    expect(isAncestorOf(COUNTY, COUNTY)).toBe(false);
    expect(isAncestorOf(COUNTY, TOWN)).toBe(true);
    expect(isAncestorOf(COUNTY, GRID)).toBe(true);
  });

  it('agrees with ancestors() for every code on a chain', () => {
    for (const code of [GRID, VILLAGE, TOWN, '440306017001005']) {
      for (const up of ancestors(code)) expect(isAncestorOf(up, code)).toBe(true);
      expect(isAncestorOf(code, code)).toBe(false);
    }
  });
});

describe('townKind', () => {
  it.each([
    ['441900003', 'street'], // 东城街道
    ['441900099', 'street'],
    ['441900100', 'town'],
    ['441900106', 'town'], // 横沥镇
    ['441900199', 'town'],
    ['441900250', 'town'], // 乡 range
    ['441900399', 'town'],
    ['441900400', 'special'],
    ['441900401', 'special'], // 松山湖
    ['441900999', 'special'],
    ['440306017', 'street'],
  ])('%s is a %s', (code, kind) => {
    expect(townKind(code)).toBe(kind);
  });

  it('reads the town segment of deeper codes', () => {
    expect(townKind(GRID)).toBe('town');
    expect(townKind('441900401001001')).toBe('special');
  });

  it('is null above town level and for invalid input', () => {
    expect(townKind(CITY)).toBeNull();
    expect(townKind(COUNTY)).toBeNull();
    expect(townKind('441900000')).toBeNull();
    expect(townKind('')).toBeNull();
  });
});
