// Officer telemetry: positions and statuses are not events — the latest value per officer is
// kept in memory (and saved now and then so a restart keeps the picture), and changes are
// fanned out once a second per scope as volatile batches: a dropped batch is superseded by the
// next one, so nothing is queued for slow consoles.
import type { OfficerFix } from '../../src-shared/protocol/entities';
import type { ReferenceData } from '../reference/reference-data';
import type { Db } from '../store/database';

export type TelemetrySink = (scopeCode: string, batch: { fixes: OfficerFix[]; at: number }) => void;

export class TelemetryHub {
  private readonly latest = new Map<string, OfficerFix>();
  private dirty = new Set<string>();
  private unsaved = new Set<string>();
  private flushTimer: NodeJS.Timeout | null = null;
  private saveTimer: NodeJS.Timeout | null = null;
  private received = 0;

  constructor(
    private readonly db: Db,
    private readonly ref: ReferenceData,
    private readonly sink: TelemetrySink,
    private readonly now: () => number,
  ) {
    for (const row of db.prepare('SELECT json FROM officer_positions').all() as { json: string }[]) {
      const fix = JSON.parse(row.json) as OfficerFix;
      this.latest.set(fix.officerId, fix);
    }
  }

  start(flushMs = 1_000, saveMs = 30_000): void {
    this.flushTimer = setInterval(() => this.flush(), flushMs);
    this.saveTimer = setInterval(() => this.save(), saveMs);
    this.flushTimer.unref();
    this.saveTimer.unref();
  }

  stop(): void {
    if (this.flushTimer) clearInterval(this.flushTimer);
    if (this.saveTimer) clearInterval(this.saveTimer);
    this.flush();
    this.save();
  }

  /** Record a fix; an older fix than the one held is ignored (latest value wins). */
  private readonly observers: ((fix: OfficerFix) => void)[] = [];

  /** Called with every accepted fix (the alert feed watches for SOS). */
  observe(listener: (fix: OfficerFix) => void): void {
    this.observers.push(listener);
  }

  report(fix: OfficerFix): boolean {
    const held = this.latest.get(fix.officerId);
    if (held && held.at > fix.at) return false;
    for (const o of this.observers) o(fix);
    this.latest.set(fix.officerId, fix);
    this.dirty.add(fix.officerId);
    this.unsaved.add(fix.officerId);
    this.received++;
    return true;
  }

  get(officerId: string): OfficerFix | undefined {
    return this.latest.get(officerId);
  }

  all(): OfficerFix[] {
    return [...this.latest.values()];
  }

  get receivedCount(): number {
    return this.received;
  }

  /** Send the changes since the last flush to the city room and each town and village room. */
  flush(): void {
    if (this.dirty.size === 0) return;
    const byScope = new Map<string, OfficerFix[]>();
    const push = (code: string, fix: OfficerFix): void => {
      let list = byScope.get(code);
      if (!list) byScope.set(code, (list = []));
      list.push(fix);
    };
    for (const id of this.dirty) {
      const fix = this.latest.get(id);
      const officer = this.ref.officers.get(id);
      if (!fix || !officer) continue;
      push(this.ref.cityCode, fix);
      if (officer.townCode) push(officer.townCode, fix);
      if (officer.villageCode) push(officer.villageCode, fix);
    }
    this.dirty = new Set();
    const at = this.now();
    for (const [code, fixes] of byScope) this.sink(code, { fixes, at });
  }

  save(): void {
    if (this.unsaved.size === 0) return;
    const stmt = this.db.prepare(
      'INSERT INTO officer_positions (officer_id, json) VALUES (?, ?) ON CONFLICT(officer_id) DO UPDATE SET json = excluded.json',
    );
    const ids = [...this.unsaved];
    this.unsaved = new Set();
    this.db.transaction(() => {
      for (const id of ids) {
        const fix = this.latest.get(id);
        if (fix) stmt.run(id, JSON.stringify(fix));
      }
    })();
  }
}
