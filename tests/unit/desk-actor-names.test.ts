// Who did it, as the case timeline names them (src-renderer/src/desk/format.ts actorName): an
// officer by name and number, a seat by its division and role, the platform's intake by words —
// never a raw user id.
import { describe, expect, it } from 'vitest';
import { actorName, type Names } from '../../src-renderer/src/desk/format';
import { translator } from '../../src-renderer/src/i18n';

const names: Names = {
  division: new Map([['441900106', '横沥镇']]),
  officer: new Map([['O-1', { name: '陈文洁', number: 'DG11024813' }]]),
  department: new Map(),
  category: new Map(),
};

describe('actor names on the timeline', () => {
  it('names officers, seats and the platform, in both languages', () => {
    const zh = translator('zh-CN');
    expect(actorName(names, 'O-1', zh)).toBe('陈文洁（DG11024813）');
    expect(actorName(names, 'U-O-1', zh)).toBe('陈文洁（DG11024813）');
    expect(actorName(names, 'U-441900106-dispatcher', zh)).toBe('横沥镇·调度员');
    expect(actorName(names, 'U-system', zh)).toBe('平台接入');
    expect(actorName(names, 'U-system', translator('en'))).toBe('Platform intake');
    // Someone the seat's reference does not hold stays an id rather than a guess.
    expect(actorName(names, 'U-441900999-dispatcher', zh)).toBe('U-441900999-dispatcher');
  });
});
