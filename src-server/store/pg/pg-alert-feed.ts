// The PostgreSQL engine of the alert feed (alerts/alert-service.ts) for a cluster node: every
// node copies the alerts it raises (emergency cases it committed, SOS of the phones connected to
// it) into the shared `alerts` table (migration 5); the feed, the acknowledgements and the
// escalation are read and written there, so an alert acknowledged on n1 shows acknowledged to a
// seat on n2. Who may see or acknowledge one is the same rule as the embedded feed (the alert's
// grid within the seat's scope: alertsOfScope, isWithin).
import type { Pool } from 'pg';
import { isWithin } from '../../../src-shared/domain/codes';
import {
  alertsOfScope,
  type AckOutcome,
  type Alert,
  type AlertFeed,
  type AlertLevel,
} from '../../alerts/alert-service';

const DAY_MS = 86_400_000;

interface Row {
  json: string;
  level: AlertLevel;
  escalated_at: string | null;
  ack_by: string | null;
  ack_by_name: string | null;
  ack_at: string | null;
}

const toAlert = (r: Row): Alert => ({
  ...(JSON.parse(r.json) as Alert),
  level: r.level,
  escalatedAt: r.escalated_at === null ? null : Number(r.escalated_at),
  ackBy: r.ack_by,
  ackByName: r.ack_by_name,
  ackAt: r.ack_at === null ? null : Number(r.ack_at),
});

export class PgAlertFeed implements AlertFeed {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly now: () => number,
    readonly escalateAfterMs: number,
    private readonly log: (line: string) => void,
  ) {}

  /** An alert raised on this node (the first node to copy an id wins; the others change nothing). */
  async raise(a: Alert): Promise<void> {
    await this.pool.query(
      `INSERT INTO alerts (id, grid_code, raised_at, level, json) VALUES ($1, $2, $3, 'village', $4)
       ON CONFLICT (id) DO NOTHING`,
      [a.id, a.gridCode, a.raisedAt, JSON.stringify(a)],
    );
  }

  async list(scopeCode: string, limit = 200): Promise<Alert[]> {
    const r = await this.pool.query<Row>(
      `SELECT json, level, escalated_at, ack_by, ack_by_name, ack_at FROM alerts
       WHERE raised_at >= $1 ORDER BY raised_at DESC, id`,
      [this.now() - DAY_MS],
    );
    return alertsOfScope(r.rows.map(toAlert), scopeCode, limit);
  }

  private async get(id: string): Promise<Alert | null> {
    const r = await this.pool.query<Row>(
      'SELECT json, level, escalated_at, ack_by, ack_by_name, ack_at FROM alerts WHERE id = $1',
      [id],
    );
    return r.rows[0] ? toAlert(r.rows[0]) : null;
  }

  /** Acknowledge by a seat of the alert's area; a second ack (on any node) keeps the first. */
  async ack(id: string, seat: { id: string; displayName: string; scopeCode: string }): Promise<AckOutcome> {
    const a = await this.get(id);
    if (!a) return { ok: false, code: 'NOT_FOUND' };
    if (!isWithin(a.gridCode, seat.scopeCode)) return { ok: false, code: 'FORBIDDEN' };
    const first =
      (
        await this.pool.query(
          'UPDATE alerts SET ack_by = $1, ack_by_name = $2, ack_at = $3 WHERE id = $4 AND ack_at IS NULL',
          [seat.id, seat.displayName, this.now(), id],
        )
      ).rowCount === 1;
    const alert = await this.get(id);
    return alert ? { ok: true, alert, first } : { ok: false, code: 'NOT_FOUND' };
  }

  /**
   * Unacknowledged alerts one level up per `escalateAfterMs` (one statement: several nodes
   * running it at once move an alert once, the second finds it escalated just now).
   */
  async escalate(): Promise<number> {
    const now = this.now();
    const r = await this.pool.query(
      `UPDATE alerts SET level = CASE level WHEN 'village' THEN 'town' ELSE 'city' END, escalated_at = $1
       WHERE ack_at IS NULL AND level <> 'city' AND coalesce(escalated_at, raised_at) <= $2 AND raised_at >= $3`,
      [now, now - this.escalateAfterMs, now - DAY_MS],
    );
    return r.rowCount ?? 0;
  }

  start(everyMs = 10_000): void {
    this.timer = setInterval(() => {
      this.escalate().catch((e: unknown) =>
        this.log(`alerts: escalation on PostgreSQL failed (${e instanceof Error ? e.message : String(e)})`),
      );
    }, everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
