// The workstation's record of who held which seat when (交接班): one JSON line per
// handed-over shift in `<dataDir>/shift-log.jsonl`, appended with O_APPEND (a crash loses at most
// the line being written; a torn last line is skipped on read). Kept beside session.json, so it
// outlives the seats' caches.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HandoverRecord } from '../../src-shared/ipc/contract';

const FILE = 'shift-log.jsonl';

export function appendHandover(dataDir: string, record: HandoverRecord): void {
  appendFileSync(join(dataDir, FILE), `${JSON.stringify(record)}\n`, { mode: 0o600 });
}

/** Newest first, at most `limit`. */
export function readHandovers(dataDir: string, limit = 50): HandoverRecord[] {
  const file = join(dataDir, FILE);
  if (!existsSync(file)) return [];
  const out: HandoverRecord[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = lines.length - 1; i >= 0 && out.length < limit; i--) {
    const line = lines[i].trim();
    if (!line) continue;
    try {
      const r = JSON.parse(line) as HandoverRecord;
      if (typeof r.userName === 'string' && typeof r.from === 'number' && typeof r.to === 'number')
        out.push(r);
    } catch {
      // a torn line from a crash mid-write
    }
  }
  return out;
}
