import { describe, expect, it } from 'vitest';
import { parseStartMarks } from '../../src-main/app/start-marks';

describe('start marks (bench/cold-start reads them from the host output)', () => {
  it('takes the [start-mark] lines in order and ignores the rest of the log', () => {
    const out = [
      '[start-mark] host:process 1796659658432.2',
      '[console] data worker: built bundle (out/main)',
      '[start-mark] worker:modules 1796659659155.6',
      'a line that mentions [start-mark] in passing 12',
      '[start-mark] cache:checked 1796659659200',
    ].join('\n');
    expect(parseStartMarks(out)).toEqual([
      ['host:process', 1796659658432.2],
      ['worker:modules', 1796659659155.6],
      ['cache:checked', 1796659659200],
    ]);
  });
});
