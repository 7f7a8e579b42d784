// Current state of every live case (the log holds how it got there). Rows keep the protocol
// JSON plus the columns used for scoping and indexes.
import type { Case } from '../../src-shared/protocol/entities';
import type { Db } from '../store/database';
import { CaseNumbers } from './case-numbers';

export class CaseStore {
  private readonly getStmt;
  private readonly putStmt;
  private readonly touchStmt;
  readonly numbers: CaseNumbers;

  constructor(private readonly db: Db) {
    this.numbers = new CaseNumbers(db);
    this.getStmt = db.prepare('SELECT json FROM cases WHERE id = ?');
    this.putStmt = db.prepare(
      `INSERT INTO cases (id, state, town_code, village_code, grid_code, holder_code, version, last_seq, json)
       VALUES (@id, @state, @townCode, @villageCode, @gridCode, @holderCode, @version, 0, @json)
       ON CONFLICT(id) DO UPDATE SET state = excluded.state, holder_code = excluded.holder_code,
         version = excluded.version, json = excluded.json`,
    );
    this.touchStmt = db.prepare('UPDATE cases SET last_seq = ? WHERE id = ?');
  }

  get(id: string): Case | null {
    const row = this.getStmt.get(id) as { json: string } | undefined;
    return row ? (JSON.parse(row.json) as Case) : null;
  }

  /**
   * Store the case. A case without a human number gets the next one of its town and report day
   * here, inside the caller's transaction; the number is set on `c` itself, so the event built
   * from the same object after this call carries it to every console.
   */
  put(c: Case): void {
    if (!c.number) c.number = this.numbers.allocate(c);
    this.putStmt.run({ ...c, json: JSON.stringify(c) });
  }

  touch(id: string, seq: number): void {
    this.touchStmt.run(seq, id);
  }

  /** Cases of a scope (city: all), ordered by id for stable paging. */
  page(scopeCode: string, afterId: string | null, limit: number): Case[] {
    const col =
      scopeCode.length === 9
        ? 'town_code'
        : scopeCode.length === 12
          ? 'village_code'
          : scopeCode.length === 15
            ? 'grid_code'
            : null;
    const where = [col ? `${col} = @scope` : '1', afterId !== null ? 'id > @after' : '1'].join(' AND ');
    const rows = this.db
      .prepare(`SELECT json FROM cases WHERE ${where} ORDER BY id LIMIT @limit`)
      .all({ scope: scopeCode, after: afterId, limit }) as { json: string }[];
    return rows.map((r) => JSON.parse(r.json) as Case);
  }

  /** Cases whose record names a photo (before or after photos): the hash appears in their JSON. */
  referencing(photoHash: string): Case[] {
    return (
      this.db.prepare('SELECT json FROM cases WHERE instr(json, ?) > 0').all(photoHash) as { json: string }[]
    )
      .map((r) => JSON.parse(r.json) as Case)
      .filter((c) => c.photos.includes(photoHash) || c.afterPhotos.includes(photoHash));
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n;
  }
}
