// Keyboard camera moves on the focused map: arrows pan, + and - zoom, 0 goes back to the
// seat's jurisdiction. Pure: a key in, a move out; the view applies it.
export type CameraMove =
  { kind: 'pan'; dx: number; dy: number } | { kind: 'zoom'; delta: number } | { kind: 'home' };

export const PAN_STEP_PX = 120;

export function cameraMoveForKey(e: {
  key: string;
  shiftKey?: boolean;
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
}): CameraMove | null {
  if (e.altKey || e.ctrlKey || e.metaKey) return null;
  const step = e.shiftKey ? PAN_STEP_PX * 3 : PAN_STEP_PX;
  switch (e.key) {
    case 'ArrowLeft':
      return { kind: 'pan', dx: -step, dy: 0 };
    case 'ArrowRight':
      return { kind: 'pan', dx: step, dy: 0 };
    case 'ArrowUp':
      return { kind: 'pan', dx: 0, dy: -step };
    case 'ArrowDown':
      return { kind: 'pan', dx: 0, dy: step };
    case '+':
    case '=':
      return { kind: 'zoom', delta: 1 };
    case '-':
    case '_':
      return { kind: 'zoom', delta: -1 };
    case '0':
      return { kind: 'home' };
    default:
      return null;
  }
}
