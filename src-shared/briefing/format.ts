// Pure helpers of the briefing view (src-renderer/src/briefing): number formats, the ≤ 1,000-point
// cap of chart series, the heat grid's colour scale, and the presentation mode's page arithmetic.

/** Largest number of points a chart series may draw. */
export const MAX_SERIES_POINTS = 1000;

/**
 * At most `max` points, keeping the first, the last and the largest of each bucket (so a peak is
 * never averaged away); the input order is kept.
 */
export function capPoints<T>(points: readonly T[], value: (p: T) => number, max = MAX_SERIES_POINTS): T[] {
  if (points.length <= max) return [...points];
  if (max < 3) return points.slice(0, max);
  const out: T[] = [points[0]];
  const inner = points.length - 2;
  const buckets = max - 2;
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * inner) / buckets);
    const to = 1 + Math.floor(((b + 1) * inner) / buckets);
    let best = from;
    for (let i = from + 1; i < to; i++) if (value(points[i]) > value(points[best])) best = i;
    if (to > from) out.push(points[best]);
  }
  out.push(points[points.length - 1]);
  return out;
}

/** `+12.3%` / `−4.0%` of a ratio of change (0.123), or null. */
export function formatChange(ratio: number | null | undefined): string | null {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return null;
  const v = ratio * 100;
  return `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(1)}%`;
}

/** A rate 0–1 as `87.5%`, or '—'. */
export function formatRate(rate: number | null | undefined): string {
  return rate === null || rate === undefined || !Number.isFinite(rate) ? '—' : `${(rate * 100).toFixed(1)}%`;
}

export function formatNumber(x: number | null | undefined, digits = 0): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

/**
 * A count of cases as a dispatcher reads it: whole, with thousands separators (46,209). An
 * expected count (a baseline mean) keeps one decimal only below 100, where it means something.
 */
export function formatCount(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const digits = Math.abs(x) < 100 && !Number.isInteger(x) ? 1 : 0;
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * Heat colour of a count against the grid's largest: dark blue (none) to amber to red, on a
 * square-root scale so a few busy hours do not flatten the rest.
 */
export function heatColour(count: number, max: number): string {
  if (!(max > 0) || !(count > 0)) return 'rgb(20, 38, 58)';
  const t = Math.min(1, Math.sqrt(count / max));
  const lerp = (a: number, b: number, u: number) => Math.round(a + (b - a) * u);
  if (t < 0.5) {
    const u = t / 0.5;
    return `rgb(${lerp(24, 47, u)}, ${lerp(70, 155, u)}, ${lerp(110, 255, u)})`;
  }
  const u = (t - 0.5) / 0.5;
  return `rgb(${lerp(47, 255, u)}, ${lerp(155, 77, u)}, ${lerp(255, 79, u)})`;
}

/** The presentation page after a key press, or null for "leave" / undefined when the key is not ours. */
export function pageAfterKey(key: string, page: number, pages: number): number | null | undefined {
  switch (key) {
    case 'ArrowRight':
    case 'PageDown':
    case ' ':
      return Math.min(pages - 1, page + 1);
    case 'ArrowLeft':
    case 'PageUp':
      return Math.max(0, page - 1);
    case 'Home':
      return 0;
    case 'End':
      return pages - 1;
    case 'Escape':
      return null;
    default:
      return undefined;
  }
}
