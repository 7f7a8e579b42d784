// The alert feed (告警): new 特急 (emergency) cases, officer SOS (紧急求助), deadlines
// about to lapse (≤ 1 h) or lapsed while the server runs. Each alert is addressed first to the
// lowest level of its area (the village's workstation); unacknowledged, it escalates to the town,
// then the city, after `escalateAfterMs` each. Any seat whose scope covers the alert may
// acknowledge it; the acknowledgement (who, when) is stored here, so every other seat sees it.
// Its own table, created at start (`IF NOT EXISTS`), so it never collides with store migrations.
import type { CaseEvent, Case, OfficerFix } from '../../src-shared/protocol/entities';
import { isWithin } from '../../src-shared/domain/codes';
import type { ReferenceData } from '../reference/reference-data';
import type { Db } from '../store/database';

export const ALERT_KINDS = ['emergency', 'sos', 'due_soon', 'lapsed'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const ALERT_LEVELS = ['village', 'town', 'city'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

export interface Alert {
  id: string;
  kind: AlertKind;
  caseId: string | null;
  officerId: string | null;
  /** What the alert is about, for the feed: category code / officer name, address. */
  subject: string;
  detail: string;
  gridCode: string;
  villageCode: string;
  townCode: string;
  lon: number;
  lat: number;
  raisedAt: number;
  /** Who is expected to act now; moves up while nobody acknowledges. */
  level: AlertLevel;
  escalatedAt: number | null;
  ackBy: string | null;
  ackByName: string | null;
  ackAt: number | null;
}

interface Row {
  id: string;
  kind: AlertKind;
  case_id: string | null;
  officer_id: string | null;
  subject: string;
  detail: string;
  grid_code: string;
  village_code: string;
  town_code: string;
  lon: number;
  lat: number;
  raised_at: number;
  level: AlertLevel;
  escalated_at: number | null;
  ack_by: string | null;
  ack_by_name: string | null;
  ack_at: number | null;
}

const toAlert = (r: Row): Alert => ({
  id: r.id,
  kind: r.kind,
  caseId: r.case_id,
  officerId: r.officer_id,
  subject: r.subject,
  detail: r.detail,
  gridCode: r.grid_code,
  villageCode: r.village_code,
  townCode: r.town_code,
  lon: r.lon,
  lat: r.lat,
  raisedAt: r.raised_at,
  level: r.level,
  escalatedAt: r.escalated_at,
  ackBy: r.ack_by,
  ackByName: r.ack_by_name,
  ackAt: r.ack_at,
});

export interface AlertServiceOptions {
  db: Db;
  ref: ReferenceData;
  now: () => number;
  /** Unacknowledged this long, an alert moves to the level above (default 3 min). */
  escalateAfterMs?: number;
  /** "About to lapse": due within this (default 1 h). */
  dueSoonMs?: number;
  /** Open cases for the deadline scan. */
  openCases: () => Iterable<Case>;
  /** Told of each alert when it is first raised here (a cluster node copies it to PostgreSQL). */
  onRaised?: (alert: Alert) => void;
}

/**
 * The feed as the HTTP routes read it, one interface with two engines: this server's table
 * (`localFeed`) or PostgreSQL on a cluster node (store/pg/pg-alert-feed.ts), so an alert raised
 * or acknowledged on one node shows the same on every node.
 */
export interface AlertFeed {
  readonly escalateAfterMs: number;
  list(scopeCode: string, limit?: number): Promise<Alert[]>;
  ack(id: string, seat: { id: string; displayName: string; scopeCode: string }): Promise<AckOutcome>;
}

export function localFeed(service: AlertService): AlertFeed {
  return {
    escalateAfterMs: service.escalateAfterMs,
    list: (scopeCode, limit) => Promise.resolve(service.list(scopeCode, limit)),
    ack: (id, seat) => Promise.resolve(service.ack(id, seat)),
  };
}

/** The next level up of an unacknowledged alert (null: already the city's). */
export const levelAbove = (level: AlertLevel): AlertLevel | null =>
  ALERT_LEVELS[ALERT_LEVELS.indexOf(level) + 1] ?? null;

/** An alert of the feed is a seat's when its grid is within the seat's scope. */
export const alertsOfScope = (alerts: Iterable<Alert>, scopeCode: string, limit: number): Alert[] => {
  const out: Alert[] = [];
  for (const a of alerts) {
    if (isWithin(a.gridCode, scopeCode)) out.push(a);
    if (out.length >= limit) break;
  }
  return out;
};

export type AckOutcome =
  { ok: true; alert: Alert; first: boolean } | { ok: false; code: 'NOT_FOUND' | 'FORBIDDEN' };

const DAY_MS = 86_400_000;
/** A new SOS of the same officer within this is the same emergency. */
const SOS_REPEAT_MS = 30 * 60_000;

export class AlertService {
  private readonly startedAt: number;
  private readonly lastSos = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly o: AlertServiceOptions) {
    this.startedAt = o.now();
  }

  get escalateAfterMs(): number {
    return this.o.escalateAfterMs ?? 180_000;
  }

  /** Escalation and the deadline scan, every `everyMs`. */
  start(everyMs = 10_000): void {
    this.timer = setInterval(() => this.tick(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  tick(): void {
    this.scanDeadlines();
    this.escalate();
  }

  private insert(a: Omit<Alert, 'level' | 'escalatedAt' | 'ackBy' | 'ackByName' | 'ackAt'>): boolean {
    const raised =
      this.o.db
        .prepare(
          `INSERT OR IGNORE INTO alerts (id, kind, case_id, officer_id, subject, detail, grid_code,
             village_code, town_code, lon, lat, raised_at, level)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'village')`,
        )
        .run(
          a.id,
          a.kind,
          a.caseId,
          a.officerId,
          a.subject,
          a.detail,
          a.gridCode,
          a.villageCode,
          a.townCode,
          a.lon,
          a.lat,
          a.raisedAt,
        ).changes === 1;
    const alert = raised && this.o.onRaised ? this.get(a.id) : null;
    if (alert) this.o.onRaised?.(alert);
    return raised;
  }

  private caseAlert(kind: AlertKind, id: string, c: Case, at: number, detail: string): boolean {
    return this.insert({
      id,
      kind,
      caseId: c.id,
      officerId: null,
      subject: c.categoryCode,
      detail,
      gridCode: c.gridCode,
      villageCode: c.villageCode,
      townCode: c.townCode,
      lon: c.lon,
      lat: c.lat,
      raisedAt: at,
    });
  }

  /** Committed events: a case reported (or re-graded) as emergency raises an alert once. */
  observeEvents(events: readonly CaseEvent[]): void {
    for (const e of events) {
      const c = (e.payload as { case?: Case }).case;
      if (!c || c.priority !== 'emergency') continue;
      if (e.type === 'case.reported' || e.type === 'case.self_handled' || e.type === 'case.verified')
        this.caseAlert(
          'emergency',
          `emergency:${c.id}`,
          c,
          this.o.now(),
          c.address || c.description.slice(0, 60),
        );
    }
  }

  /** An officer's fix: the first SOS of an emergency raises an alert (repeats fold into it). */
  observeFix(fix: OfficerFix): void {
    if (fix.status !== 'sos') return;
    const last = this.lastSos.get(fix.officerId);
    this.lastSos.set(fix.officerId, fix.at);
    if (last !== undefined && fix.at - last < SOS_REPEAT_MS) return;
    const officer = this.o.ref.officers.get(fix.officerId);
    const home = officer?.homeGridCode ?? officer?.gridCodes[0];
    const grid = home ? this.o.ref.grids.get(home) : undefined;
    if (!officer || !grid) return;
    this.insert({
      id: `sos:${fix.officerId}:${fix.at}`,
      kind: 'sos',
      caseId: null,
      officerId: fix.officerId,
      subject: officer.name,
      detail: officer.number,
      gridCode: grid.code,
      villageCode: grid.villageCode,
      townCode: grid.townCode,
      lon: fix.lon,
      lat: fix.lat,
      raisedAt: this.o.now(),
    });
  }

  /** Deadlines about to lapse, and lapses that happen while the server runs (not the history's). */
  scanDeadlines(): void {
    const now = this.o.now();
    const soon = this.o.dueSoonMs ?? 3_600_000;
    for (const c of this.o.openCases()) {
      if (c.dueAt === null || c.state === 'suspended') continue;
      if (c.dueAt > now && c.dueAt - now <= soon)
        this.caseAlert('due_soon', `due_soon:${c.id}:${c.dueAt}`, c, now, String(c.dueAt));
      else if (c.dueAt <= now && c.dueAt >= this.startedAt - soon)
        this.caseAlert('lapsed', `lapsed:${c.id}:${c.dueAt}`, c, now, String(c.dueAt));
    }
  }

  /** Unacknowledged alerts move one level up per `escalateAfterMs` since raised / last escalated. */
  escalate(): string[] {
    const now = this.o.now();
    const due = this.o.db
      .prepare(
        `SELECT * FROM alerts WHERE ack_at IS NULL AND level != 'city'
           AND coalesce(escalated_at, raised_at) <= ? AND raised_at >= ?`,
      )
      .all(now - this.escalateAfterMs, now - DAY_MS) as Row[];
    const moved: string[] = [];
    const update = this.o.db.prepare(
      'UPDATE alerts SET level = ?, escalated_at = ? WHERE id = ? AND ack_at IS NULL',
    );
    for (const r of due) {
      const next = levelAbove(r.level);
      if (next && update.run(next, now, r.id).changes === 1) moved.push(r.id);
    }
    return moved;
  }

  /** The alerts of a seat's scope from the last 24 h, newest first. */
  list(scopeCode: string, limit = 200): Alert[] {
    const rows = this.o.db
      .prepare('SELECT * FROM alerts WHERE raised_at >= ? ORDER BY raised_at DESC, id')
      .all(this.o.now() - DAY_MS) as Row[];
    return alertsOfScope(rows.map(toAlert), scopeCode, limit);
  }

  get(id: string): Alert | null {
    const r = this.o.db.prepare('SELECT * FROM alerts WHERE id = ?').get(id) as Row | undefined;
    return r ? toAlert(r) : null;
  }

  /** Acknowledge by a seat of the alert's area; a second ack keeps the first (and says so). */
  ack(id: string, seat: { id: string; displayName: string; scopeCode: string }): AckOutcome {
    const a = this.get(id);
    if (!a) return { ok: false, code: 'NOT_FOUND' };
    if (!isWithin(a.gridCode, seat.scopeCode)) return { ok: false, code: 'FORBIDDEN' };
    const first =
      this.o.db
        .prepare('UPDATE alerts SET ack_by = ?, ack_by_name = ?, ack_at = ? WHERE id = ? AND ack_at IS NULL')
        .run(seat.id, seat.displayName, this.o.now(), id).changes === 1;
    return { ok: true, alert: this.get(id)!, first };
  }
}
