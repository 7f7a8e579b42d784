// Start marks: where a cold start's time goes on the host's side (web host or Electron main, and
// the data worker thread), for bench/cold-start. With GRID_CONSOLE_START_MARKS=1 each mark is one
// stdout line `[start-mark] <name> <epoch ms>` (performance.timeOrigin + now, so marks of the
// host, the worker and the page line up on one clock); without it a mark costs one comparison.
const enabled = process.env.GRID_CONSOLE_START_MARKS === '1';

/** Epoch ms with the sub-millisecond precision of the performance clock. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

export function startMark(name: string, at = epochNow()): void {
  if (enabled) process.stdout.write(`[start-mark] ${name} ${at.toFixed(1)}\n`);
}

/** `[start-mark]` lines of a host's output, as [name, epoch ms] in the order they came. */
export function parseStartMarks(text: string): [string, number][] {
  return [...text.matchAll(/^\[start-mark\] (\S+) ([\d.]+)$/gm)].map((m) => [m[1], Number(m[2])]);
}
