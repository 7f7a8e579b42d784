// Hot pure paths of the console, each against a naive baseline in the same run (they used to be
// timed inside unit tests): typed-column decoding on the renderer's side of a snapshot (tagged
// base64 vs plain JSON number arrays), and working-calendar queries (the calendar's day table vs
// stepping minute by minute). Run: npx tsx bench/codecs.ts
import { defaultCalendar, shanghaiMs } from '../src-shared/domain/calendar';
import { base64ToBytesManual, decodeTypedJson, encodeTypedJson } from '../src-shared/ipc/typed-json';

const nodeB64 = (b: Uint8Array): string =>
  Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

function best(runs: number, f: () => void): number {
  let min = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    f();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

for (const n of [10_000, 100_000]) {
  const cols = {
    lon: Float64Array.from({ length: n }, (_, i) => 113.5 + i * 1e-6),
    lat: Float64Array.from({ length: n }, (_, i) => 22.9 + i * 1e-6),
    state: Uint8Array.from({ length: n }, (_, i) => i % 7),
    grid: Uint16Array.from({ length: n }, (_, i) => i % 3050),
  };
  const tagged = JSON.stringify(encodeTypedJson(cols, nodeB64));
  const plain = JSON.stringify({
    lon: [...cols.lon],
    lat: [...cols.lat],
    state: [...cols.state],
    grid: [...cols.grid],
  });
  let sink = 0;
  const ours = best(7, () => {
    const back = decodeTypedJson(JSON.parse(tagged), base64ToBytesManual) as typeof cols;
    sink += back.lat[n - 1];
  });
  const naive = best(7, () => {
    const o = JSON.parse(plain) as Record<keyof typeof cols, number[]>;
    const back = {
      lon: Float64Array.from(o.lon),
      lat: Float64Array.from(o.lat),
      state: Uint8Array.from(o.state),
      grid: Uint16Array.from(o.grid),
    };
    sink += back.lat[n - 1];
  });
  console.log(
    `typed columns, ${n.toLocaleString('en')} rows: tagged base64 ${ours.toFixed(2)} ms (${(tagged.length / 1e6).toFixed(2)} MB) · ` +
      `JSON arrays ${naive.toFixed(2)} ms (${(plain.length / 1e6).toFixed(2)} MB) · ratio ×${(naive / ours).toFixed(1)}` +
      (sink > 0 ? '' : ' ?'),
  );
}

// Working calendar: 200,000 mixed queries (add working time / working time between), against a
// baseline that walks the span in minutes asking isWorkingTime.
const cal = defaultCalendar();
let seed = 1;
const rnd = (): number => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const base = shanghaiMs(2025, 1, 1);
const starts = Array.from({ length: 1024 }, () => base + Math.floor(rnd() * 3 * 365 * 86_400_000));
const HOUR = 3_600_000;
const N = 200_000;
let sink = 0;
const calMs = best(3, () => {
  for (let i = 0; i < N; i++) {
    const s = starts[i & 1023];
    sink += cal.workingMsBetween(s, s + (i % 97) * HOUR);
  }
});
const naiveN = 2_000;
const naiveMs = best(1, () => {
  for (let i = 0; i < naiveN; i++) {
    const s = starts[i & 1023];
    const end = s + (i % 97) * HOUR;
    let ms = 0;
    for (let t = s; t < end; t += 60_000) if (cal.isWorkingTime(t)) ms += 60_000;
    sink += ms;
  }
});
const perCal = (calMs / N) * 1e3;
const perNaive = (naiveMs / naiveN) * 1e3;
console.log(
  `working calendar: ${perCal.toFixed(2)} µs a query (${N.toLocaleString('en')} queries in ${calMs.toFixed(0)} ms) · ` +
    `minute walk ${perNaive.toFixed(1)} µs a query · ratio ×${(perNaive / perCal).toFixed(0)}` +
    (sink > 0 ? '' : ' ?'),
);
