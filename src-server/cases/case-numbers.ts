// Allocation of human case numbers (format: src-shared/domain/case-number.ts). One counter row
// per (report day, town); `allocate` runs inside the transaction that stores the case, so a
// rolled-back command gives its number back and two commands never share one.
//
// The counters table and the index that finds a case by its number come with store migration
// 0004; the number itself lives in the case's JSON.
import { formatCaseNumber, numberDay } from '../../src-shared/domain/case-number';
import type { Case } from '../../src-shared/protocol/entities';
import type { Db } from '../store/database';

export class CaseNumbers {
  private readonly next;
  private readonly byNumber;
  private readonly cityCode: string;

  constructor(db: Db) {
    const city = db.prepare("SELECT value FROM meta WHERE key = 'city_code'").get() as
      { value: string } | undefined;
    this.cityCode = city?.value ?? '0000';
    this.next = db.prepare(
      `INSERT INTO case_number_seq (day, town_code, last) VALUES (?, ?, 1)
       ON CONFLICT (day, town_code) DO UPDATE SET last = last + 1 RETURNING last`,
    );
    this.byNumber = db.prepare("SELECT json FROM cases WHERE json_extract(json, '$.number') = ?");
  }

  /** The next number of the case's town and report day (call inside the storing transaction). */
  allocate(c: Pick<Case, 'reportedAt' | 'townCode'>): string {
    const { last } = this.next.get(numberDay(c.reportedAt), c.townCode) as { last: number };
    return formatCaseNumber(this.cityCode, c.reportedAt, c.townCode, last);
  }

  /**
   * Numbers for the stored cases that have none (the imported live cases on first start, or a
   * store from before numbers existed), in report order. Returns how many were numbered.
   */
  backfill(db: Db): number {
    const rows = db.prepare("SELECT json FROM cases WHERE json_extract(json, '$.number') IS NULL").all() as {
      json: string;
    }[];
    if (rows.length === 0) return 0;
    const cases = rows.map((r) => JSON.parse(r.json) as Case);
    cases.sort((a, b) => a.reportedAt - b.reportedAt || (a.id < b.id ? -1 : 1));
    const put = db.prepare('UPDATE cases SET json = ? WHERE id = ?');
    db.transaction(() => {
      for (const c of cases) put.run(JSON.stringify({ ...c, number: this.allocate(c) }), c.id);
    })();
    return cases.length;
  }

  find(number: string): Case | null {
    const row = this.byNumber.get(number) as { json: string } | undefined;
    return row ? (JSON.parse(row.json) as Case) : null;
  }
}
