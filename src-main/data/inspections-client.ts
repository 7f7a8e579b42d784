// The console's side of the inspections API: GET calls go to the dispatch server with
// the seat's bearer token and each answer is kept as a JSON file in the seat's directory
// (inspections/<key>.json); when the server cannot be reached the last copy is returned, marked
// offline with the time it was fetched, so coverage, work orders and the re-grading queue can be
// read offline. Decisions are not queued: the server decides who may, so they need it online.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  CoverageAnswer,
  Fetched,
  OrdersAnswer,
  OrdersFilter,
  PlaceFlagsAnswer,
  RegradeRow,
  RegradeStatus,
  RegradesAnswer,
} from '../../src-shared/inspections/model';
import { err, ok, type Result } from '../../src-shared/util/result';
import { readAnswer, type SeatHttpOptions } from './server-http';

/** Copies kept per seat; the oldest beyond this are removed. */
const MAX_FILES = 200;

export class InspectionsClient {
  constructor(private readonly options: SeatHttpOptions) {}

  private get cacheDir(): string {
    return join(this.options.dir, 'inspections');
  }

  private fileOf(key: string): string {
    return join(this.cacheDir, `${createHash('sha256').update(key).digest('hex').slice(0, 24)}.json`);
  }

  coverage(
    month: string | null,
    by: 'grid' | 'officer',
    scope: string | null,
  ): Promise<Result<Fetched<CoverageAnswer>>> {
    const q = new URLSearchParams({ by });
    if (month) q.set('month', month);
    if (scope) q.set('scope', scope);
    return this.get<CoverageAnswer>(
      `/api/inspections/coverage?${q.toString()}`,
      month === null ? 'coverage:current' : null,
    );
  }

  orders(filter: OrdersFilter): Promise<Result<Fetched<OrdersAnswer>>> {
    const q = new URLSearchParams();
    if (filter.month) q.set('month', filter.month);
    if (filter.grid) q.set('grid', filter.grid);
    if (filter.officer) q.set('officer', filter.officer);
    if (filter.status) q.set('status', filter.status);
    q.set('limit', String(filter.limit ?? 500));
    return this.get<OrdersAnswer>(`/api/inspections/orders?${q.toString()}`, null);
  }

  placeFlags(): Promise<Result<Fetched<PlaceFlagsAnswer>>> {
    return this.get<PlaceFlagsAnswer>('/api/inspections/place-flags', null);
  }

  regrades(status: RegradeStatus): Promise<Result<Fetched<RegradesAnswer>>> {
    return this.get<RegradesAnswer>(`/api/inspections/regrades?status=${status}&limit=500`, null);
  }

  async decide(id: number, approve: boolean, note: string | null): Promise<Result<RegradeRow>> {
    let res: Response;
    try {
      res = await this.options.fetch(`${this.options.serverUrl}/api/inspections/regrades/${id}/decision`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(note ? { approve, note } : { approve }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (e) {
      return err(
        'OFFLINE',
        `the dispatch server cannot be reached to decide (${e instanceof Error ? e.message : String(e)})`,
      );
    }
    const body = await readAnswer<RegradeRow>(res);
    if (!body.ok) return body;
    // The queue copies are stale now: drop them (the next read fetches afresh).
    for (const status of ['pending', 'approved', 'rejected'])
      this.remove(this.keyOf(`/api/inspections/regrades?status=${status}&limit=500`));
    return ok(body.data);
  }

  private keyOf(path: string): string {
    return path;
  }

  /**
   * GET `path`; keep the answer under its path (and `alias`, e.g. "the current month", so an
   * offline console finds it without knowing which month that was).
   */
  private async get<T>(path: string, alias: string | null): Promise<Result<Fetched<T>>> {
    let res: Response | null = null;
    let why = '';
    try {
      res = await this.options.fetch(`${this.options.serverUrl}${path}`, {
        headers: { authorization: `Bearer ${this.options.token}` },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (e) {
      why = e instanceof Error ? e.message : String(e);
    }
    if (res && res.status < 500) {
      const body = await readAnswer<T>(res);
      if (!body.ok) return body;
      const fetchedAt = this.options.now();
      this.write(this.keyOf(path), fetchedAt, body.data);
      if (alias) this.write(alias, fetchedAt, body.data);
      return ok({ ...body.data, fetchedAt, offline: false });
    }
    if (res) {
      why = `the server answered ${res.status}`;
      await res.body?.cancel();
    }
    const held = this.read<T>(this.keyOf(path)) ?? (alias ? this.read<T>(alias) : null);
    if (held) return ok({ ...held.data, fetchedAt: held.fetchedAt, offline: true });
    return err('OFFLINE', `the dispatch server cannot be reached (${why}) and there is no copy of this yet`);
  }

  private write(key: string, fetchedAt: number, data: unknown): void {
    try {
      mkdirSync(this.cacheDir, { recursive: true });
      const file = this.fileOf(key);
      writeFileSync(`${file}.tmp`, JSON.stringify({ key, fetchedAt, data }));
      renameSync(`${file}.tmp`, file);
      this.prune();
    } catch (e) {
      this.options.log?.(`inspections: cannot keep a copy (${e instanceof Error ? e.message : String(e)})`);
    }
  }

  private read<T>(key: string): { fetchedAt: number; data: T } | null {
    try {
      const held = JSON.parse(readFileSync(this.fileOf(key), 'utf8')) as {
        key: string;
        fetchedAt: number;
        data: T;
      };
      return held.key === key ? held : null;
    } catch {
      return null;
    }
  }

  private remove(key: string): void {
    rmSync(this.fileOf(key), { force: true });
  }

  private prune(): void {
    const files = readdirSync(this.cacheDir).filter((f) => f.endsWith('.json'));
    if (files.length <= MAX_FILES) return;
    const aged = files
      .map((f) => ({ f, t: statSync(join(this.cacheDir, f)).mtimeMs }))
      .sort((a, b) => a.t - b.t);
    for (const { f } of aged.slice(0, files.length - MAX_FILES))
      rmSync(join(this.cacheDir, f), { force: true });
  }
}
