// The briefing's export files and view helpers: the in-house XLSX writer (a zip that unzips
// with its CRC-32s right, SpreadsheetML sheets holding the cells), the CSV (BOM, quoting), the
// drill-down filter over cached cases, and the pure helpers of the view.
import { crc32 as zlibCrc32, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { briefingCsv } from '../../src-main/data/briefing-export';
import { drillCases } from '../../src-main/data/briefing-store';
import { columnName, writeXlsx } from '../../src-main/data/briefing-xlsx';
import {
  capPoints,
  formatChange,
  formatCount,
  heatColour,
  pageAfterKey,
} from '../../src-shared/briefing/format';
import { shanghaiMs } from '../../src-shared/domain/calendar';
import type { Case } from '../../src-shared/protocol/entities';

/** Every entry of a zip from its central directory, checking sizes and CRC-32s. */
function unzip(zip: Uint8Array): Map<string, Buffer> {
  const b = Buffer.from(zip);
  const end = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThan(0);
  const count = b.readUInt16LE(end + 10);
  let p = b.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(b.readUInt32LE(p)).toBe(0x02014b50);
    const crc = b.readUInt32LE(p + 16);
    const packed = b.readUInt32LE(p + 20);
    const size = b.readUInt32LE(p + 24);
    const nameLen = b.readUInt16LE(p + 28);
    const local = b.readUInt32LE(p + 42);
    const name = b.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const lNameLen = b.readUInt16LE(local + 26);
    const lExtra = b.readUInt16LE(local + 28);
    const data = inflateRawSync(
      b.subarray(local + 30 + lNameLen + lExtra, local + 30 + lNameLen + lExtra + packed),
    );
    expect(data.length, name).toBe(size);
    expect(zlibCrc32(data), name).toBe(crc);
    out.set(name, data);
    p += 46 + nameLen;
  }
  return out;
}

describe('briefing export files', () => {
  it('writes a workbook whose sheets hold the cells (strings escaped, numbers as numbers)', () => {
    const xlsx = writeXlsx([
      {
        name: '概况',
        rows: [
          ['项目', '数值'],
          ['本周事件', 46377],
          ['<危险> & "引号"', null],
        ],
      },
      { name: 'a/b:c*?', rows: [[1.5, 'x']] },
    ]);
    const files = unzip(xlsx);
    expect([...files.keys()]).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/workbook.xml',
      'xl/_rels/workbook.xml.rels',
      'xl/worksheets/sheet1.xml',
      'xl/worksheets/sheet2.xml',
    ]);
    const wb = files.get('xl/workbook.xml')!.toString('utf8');
    expect(wb).toContain('<sheet name="概况" sheetId="1" r:id="rId1"/>');
    expect(wb).toContain('<sheet name="a b c  " sheetId="2" r:id="rId2"/>');
    const s1 = files.get('xl/worksheets/sheet1.xml')!.toString('utf8');
    expect(s1).toContain(
      '<c r="A2" t="inlineStr"><is><t xml:space="preserve">本周事件</t></is></c><c r="B2"><v>46377</v></c>',
    );
    expect(s1).toContain('&lt;危险&gt; &amp; &quot;引号&quot;');
    expect(s1).not.toContain('r="B3"');
    expect(files.get('xl/worksheets/sheet2.xml')!.toString('utf8')).toContain('<c r="A1"><v>1.5</v></c>');
    expect([0, 25, 26, 27, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
  });

  it('writes the CSV with a UTF-8 BOM, CRLF lines and quoted fields', () => {
    const csv = briefingCsv([
      {
        title: '概况',
        rows: [
          ['项目', '数值'],
          ['说明', '由 22.4 件/周升至 68 件（+203%），p < 0.001'],
          ['a,"b"', 3],
        ],
      },
      { title: '约谈名单', rows: [['名称'], ['石排镇']] },
    ]);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(csv.subarray(3));
    expect(text).toBe(
      '# 概况\r\n项目,数值\r\n说明,由 22.4 件/周升至 68 件（+203%），p < 0.001\r\n"a,""b""",3\r\n\r\n# 约谈名单\r\n名称\r\n石排镇\r\n',
    );
  });
});

describe('briefing drill-down over cached cases', () => {
  const monday = shanghaiMs(2026, 11, 16);
  const mk = (id: string, hoursIn: number, village: string, category: string): Case =>
    ({
      id,
      reportedAt: monday + hoursIn * 3_600_000,
      villageCode: village,
      townCode: village.slice(0, 9),
      gridCode: `${village}001`,
      categoryCode: category,
    }) as Case;
  const cases = [
    mk('a', 9.5, '441900003001', '01001'), // Monday 09:30
    mk('b', 24 + 9.2, '441900003001', '08001'), // Tuesday 09:12
    mk('c', 24 + 9.9, '441900106001', '01002'), // Tuesday 09:54, another town
    mk('d', 7 * 24 + 1, '441900003001', '01001'), // next week
  ];
  const week = { fromMs: monday, toMs: monday + 7 * 86_400_000 };

  it('filters by scope, area, category, weekday and hour (Shanghai time), newest first', () => {
    expect(drillCases(cases, { scopeCode: '4419', ...week }).cases.map((c) => c.id)).toEqual(['c', 'b', 'a']);
    expect(drillCases(cases, { scopeCode: '441900003', ...week }).cases.map((c) => c.id)).toEqual(['b', 'a']);
    expect(drillCases(cases, { scopeCode: '4419', majorCode: '01', ...week }).cases.map((c) => c.id)).toEqual(
      ['c', 'a'],
    );
    expect(drillCases(cases, { scopeCode: '4419', categoryCode: '08001', ...week }).total).toBe(1);
    expect(
      drillCases(cases, { scopeCode: '4419', weekday: 1, hour: 9, ...week }).cases.map((c) => c.id),
    ).toEqual(['c', 'b']);
    expect(
      drillCases(cases, { scopeCode: '4419', areaCode: '441900106', ...week }).cases.map((c) => c.id),
    ).toEqual(['c']);
    const limited = drillCases(cases, { scopeCode: '4419', ...week }, 1);
    expect(limited).toMatchObject({ total: 3 });
    expect(limited.cases).toHaveLength(1);
  });
});

describe('briefing view helpers', () => {
  it('shows counts whole with separators, and a baseline below 100 with one decimal', () => {
    expect(formatCount(46209)).toBe('46,209');
    expect(formatCount(45115.3)).toBe('45,115');
    expect(formatCount(98)).toBe('98');
    expect(formatCount(20.83)).toBe('20.8');
    expect(formatCount(null)).toBe('—');
  });

  it('caps a series at 1,000 points keeping the ends and every bucket’s peak', () => {
    const series = Array.from({ length: 5_000 }, (_, i) => ({ i, v: i === 2_345 ? 1e6 : Math.sin(i) }));
    const capped = capPoints(series, (p) => p.v);
    expect(capped.length).toBeLessThanOrEqual(1_000);
    expect(capped[0].i).toBe(0);
    expect(capped[capped.length - 1].i).toBe(4_999);
    expect(capped.some((p) => p.i === 2_345)).toBe(true);
    expect(capped.every((p, k) => k === 0 || p.i > capped[k - 1].i)).toBe(true);
    expect(capPoints(series.slice(0, 10), (p) => p.v)).toHaveLength(10);
  });

  it('pages presentation mode by key and leaves with Escape', () => {
    expect(pageAfterKey('ArrowRight', 0, 5)).toBe(1);
    expect(pageAfterKey('PageDown', 4, 5)).toBe(4);
    expect(pageAfterKey('PageUp', 2, 5)).toBe(1);
    expect(pageAfterKey('ArrowLeft', 0, 5)).toBe(0);
    expect(pageAfterKey('End', 0, 5)).toBe(4);
    expect(pageAfterKey('Escape', 3, 5)).toBeNull();
    expect(pageAfterKey('a', 3, 5)).toBeUndefined();
  });

  it('formats changes and heat colours', () => {
    expect(formatChange(0.1234)).toBe('+12.3%');
    expect(formatChange(-0.04)).toBe('−4.0%');
    expect(formatChange(null)).toBeNull();
    expect(heatColour(0, 10)).toBe('rgb(20, 38, 58)');
    expect(heatColour(10, 10)).toBe('rgb(255, 77, 79)');
    expect(heatColour(1, 10)).not.toBe(heatColour(5, 10));
  });
});
