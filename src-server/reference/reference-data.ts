// Reference data held in memory for the command path: categories (time limits), grids (point
// → grid), officers (who may sign for what), departments. Loaded once from the store; it does
// not change while the server runs.
import { PointIndex } from '../../src-shared/domain/point-index';
import type { Category, Department, Grid, Officer } from '../../src-shared/protocol/entities';
import type { Db } from '../store/database';

export class ReferenceData {
  readonly categories = new Map<string, Category>();
  readonly departments = new Map<string, Department>();
  readonly officers = new Map<string, Officer>();
  readonly grids = new Map<string, Grid>();
  readonly gridsByIndex: Grid[] = [];
  readonly divisionNames = new Map<string, string>();
  readonly pointIndex: PointIndex;

  constructor(
    readonly cityCode: string,
    rows: {
      categories: Category[];
      departments: Department[];
      officers: Officer[];
      grids: { idx: number; grid: Grid }[];
      divisions: { code: string; name: string }[];
    },
  ) {
    for (const c of rows.categories) this.categories.set(c.code, c);
    for (const d of rows.departments) this.departments.set(d.code, d);
    for (const o of rows.officers) this.officers.set(o.id, o);
    for (const { idx, grid } of rows.grids) {
      this.grids.set(grid.code, grid);
      this.gridsByIndex[idx] = grid;
    }
    for (const d of rows.divisions) this.divisionNames.set(d.code, d.name);
    this.pointIndex = PointIndex.build(
      this.gridsByIndex.map((g) => {
        if (!g.geometry) throw new Error(`grid ${g.code} has no geometry`);
        return { gridCode: g.code, villageCode: g.villageCode, townCode: g.townCode, geometry: g.geometry };
      }),
    );
  }

  static load(db: Db): ReferenceData {
    const json = <T>(sql: string): T[] =>
      (db.prepare(sql).all() as { json: string }[]).map((r) => JSON.parse(r.json) as T);
    const city = db.prepare("SELECT value FROM meta WHERE key = 'city_code'").get() as
      { value: string } | undefined;
    if (!city) throw new Error('the store has no dataset loaded');
    return new ReferenceData(city.value, {
      categories: json<Category>('SELECT json FROM categories'),
      departments: json<Department>('SELECT json FROM departments'),
      officers: json<Officer>('SELECT json FROM officers'),
      grids: (
        db.prepare('SELECT idx, json FROM grids ORDER BY idx').all() as { idx: number; json: string }[]
      ).map((r) => ({
        idx: r.idx,
        grid: JSON.parse(r.json) as Grid,
      })),
      divisions: db.prepare('SELECT code, name FROM divisions').all() as { code: string; name: string }[],
    });
  }

  nameOf(code: string): string {
    return this.divisionNames.get(code) ?? code;
  }
}
