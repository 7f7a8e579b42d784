// Every refusal a dispatcher can meet reads as a sentence in the UI's language: each workflow
// code and each rule the command path names (case-commands, 督办, 一事多报, handling units) has zh-CN and English
// text, and a real refusal of the shared command path finds its sentence by the rule it carries.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_REJECTION_CODE } from '../../src-shared/domain/case-workflow-rules';
import { refusalText } from '../../src-shared/domain/refusal-text';
import { suspendRefusal } from '../../src-shared/domain/work-rules';

const DOMAIN = join(import.meta.dirname, '../../src-shared/domain');
const CJK = /[\u4e00-\u9fff]/;

/** The UPPER_SNAKE literals the command path's modules refuse with (codes and rules). */
function ruleLiterals(file: string): string[] {
  const src = readFileSync(join(DOMAIN, file), 'utf8');
  return [...new Set([...src.matchAll(/'([A-Z][A-Z_]{3,})'/g)].map((m) => m[1]))];
}

describe('refusal sentences', () => {
  it('has zh-CN and English for every workflow refusal code', () => {
    for (const code of Object.keys(PROTOCOL_REJECTION_CODE)) {
      expect(refusalText(code, 'zh-CN'), code).toMatch(CJK);
      expect(refusalText(code, 'en'), code).toMatch(/^[A-Z]/);
    }
  });

  it('has them for every rule named by case-commands, supervision, case-merge and handling-units', () => {
    const rules = ['case-commands.ts', 'supervision.ts', 'case-merge.ts', 'handling-units.ts'].flatMap(
      ruleLiterals,
    );
    expect(rules).toContain('SUSPEND_NOT_ALLOWED');
    expect(rules).toContain('MERGE_OTHER_GRID');
    const missing = rules.filter((r) => refusalText(r, 'zh-CN') === null || refusalText(r, 'en') === null);
    expect(missing).toEqual([]);
  });

  it('says nothing for what is not a rule, so the caller falls back to the code and reason', () => {
    expect(refusalText('NO_SUCH_RULE', 'zh-CN')).toBeNull();
    expect(refusalText(undefined, 'zh-CN')).toBeNull();
    expect(refusalText(42, 'en')).toBeNull();
  });

  it('words the 缓办 refusal of a 特急 case in Chinese, its log reason stays English', () => {
    expect(suspendRefusal('emergency')).toMatch(/^emergencies/);
    expect(refusalText('SUSPEND_NOT_ALLOWED', 'zh-CN')).toBe(
      '特急事件不得缓办：须立即处置，确需更多时间请申请延期',
    );
  });
});
