// Layouts per seat and per monitor arrangement (issue 19): the key of an arrangement is stable
// under display order, differs between arrangements, and a seat never gets another seat's layout.
import { describe, expect, it } from 'vitest';
import {
  arrangementKey,
  captureLayout,
  emptyLayoutFile,
  layoutForSeat,
  seatLayoutKey,
  withLayout,
  type DisplayInfo,
} from '../../src-main/app/window-layout';

const d = (id: number, x: number, width: number, height: number): DisplayInfo => ({
  id,
  bounds: { x, y: 0, width, height },
  workArea: { x, y: 0, width, height: height - 40 },
});
const laptop = [d(1, 0, 1920, 1080)];
const desk = [d(1, 0, 1920, 1080), d(2, 1920, 2560, 1440)];

describe('layouts per seat and monitor arrangement', () => {
  it('keys an arrangement by its displays, whatever their order', () => {
    expect(arrangementKey(desk)).toBe(arrangementKey([...desk].reverse()));
    expect(arrangementKey(desk)).not.toBe(arrangementKey(laptop));
    expect(arrangementKey(laptop)).toMatch(/^1m-[0-9a-f]{8}$/);
    expect(seatLayoutKey('U-a', desk).length).toBeLessThanOrEqual(128);
  });

  it('gives a seat its layout for this arrangement, else its latest from another, never another seat’s', () => {
    const mapAt = (x: number) => [
      { kind: 'map' as const, bounds: { x, y: 10, width: 900, height: 600 }, fullScreen: false },
    ];
    let file = emptyLayoutFile();
    file = withLayout(file, seatLayoutKey('U-a', laptop), captureLayout('default', mapAt(100), laptop, 1000));
    file = withLayout(file, seatLayoutKey('U-a', desk), captureLayout('default', mapAt(2000), desk, 2000));
    expect(layoutForSeat(file, 'U-a', laptop)?.windows[0].bounds.x).toBe(100);
    expect(layoutForSeat(file, 'U-a', desk)?.windows[0].bounds.x).toBe(2000);
    const three = [...desk, d(3, 4480, 1920, 1080)];
    expect(layoutForSeat(file, 'U-a', three)?.savedAt).toBe(2000);
    expect(layoutForSeat(file, 'U-b', laptop)).toBeNull();
    expect(layoutForSeat(file, 'U-b', desk)).toBeNull();
    // A seat id that is a prefix of another is another seat.
    expect(layoutForSeat(file, 'U-', laptop)).toBeNull();
    expect(layoutForSeat(file, '', laptop)).toBeNull();
  });
});
