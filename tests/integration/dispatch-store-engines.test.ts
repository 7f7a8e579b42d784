// The two engines of the dispatch store (store/dispatch-store.ts) answer the same commands with
// the same answers: one script of commands — report, verify, a repeat, a reused commandId, a
// dispatch, the losing dispatch, an unknown officer, a case outside the actor's view — through
// SqliteDispatchStore and PgDispatchStore (a throwaway PostgreSQL seeded from the same imported
// store, evaluated by the same CommandService), on the same pinned clock. Answers must be equal
// (sequence numbers compared relative to each log's head before the script), and both logs and
// case tables must hold the same cases and events afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command, CommandAnswer } from '../../src-shared/protocol/commands';
import type { Case } from '../../src-shared/protocol/entities';
import type { ActorContext } from '../../src-server/cases/command-service';
import { SqliteDispatchStore, type DispatchStore } from '../../src-server/store/dispatch-store';
import { PgDispatchStore } from '../../src-server/store/pg/pg-dispatch-store';
import { pickArea, reportPayload } from '../support/fixtures';
import { postgresAvailable, startPostgres, type PgServer } from '../support/pg-harness';
import { startTestServer, type TestServer } from '../support/server-client';

const available = postgresAvailable();
let t: TestServer;
let pgServer: PgServer;
let sqlite: DispatchStore;
let postgres: PgDispatchStore;
let clock = Date.UTC(2026, 11, 7, 2, 0, 0); // 10:00 Shanghai, a Monday

beforeAll(async () => {
  if (!available) return;
  t = await startTestServer({ now: () => clock });
  pgServer = await startPostgres();
  const s = t.server;
  sqlite = new SqliteDispatchStore(s.commands, s.events);
  postgres = await PgDispatchStore.open({
    url: pgServer.url,
    cityCode: s.ref.cityCode,
    commands: s.commands,
    now: () => clock,
  });
  await postgres.seed(
    () => ({
      cases: (s.db.prepare('SELECT json FROM cases').all() as { json: string }[]).map(
        (r) => JSON.parse(r.json) as Case,
      ),
      counters: s.db.prepare('SELECT day, town_code, last FROM case_number_seq').all() as {
        day: string;
        town_code: string;
        last: number;
      }[],
    }),
    'test',
  );
}, 180_000);

afterAll(async () => {
  await postgres?.close();
  await pgServer?.stop();
  await t?.dispose();
});

/** An answer with its sequence numbers made relative to the log head before the script. */
function relative(a: CommandAnswer, base: number): unknown {
  if (a.status !== 'accepted') return a;
  return { ...a, events: a.events.map((e) => ({ ...e, seq: e.seq - base })) };
}

describe.skipIf(!available)('SQLite and PostgreSQL engines', () => {
  it('answer one script of commands identically and end with the same cases and events', async () => {
    const s = t.server;
    const area = pickArea(s);
    const actor = (userName: string): ActorContext => {
      const u = s.seats.byUserName(userName);
      if (!u) throw new Error(`no seat ${userName}`);
      return s.actorOf(u);
    };
    const village = actor(`${area.a.villageCode}.operator`);
    const town = actor(`${area.townCode}.dispatcher`);
    const otherVillage = actor(`${area.b.villageCode}.operator`);
    const [o1, o2] = area.a.officers;
    const caseId = `E${clock.toString(36)}`;
    const cmd = (
      commandId: string,
      type: string,
      payload: Record<string, unknown>,
      baseVersion: number | null,
    ) => ({ commandId, type, payload, baseVersion, clientTime: clock }) as unknown as Command;
    const script: [ActorContext, Command][] = [
      [village, cmd('c1', 'report', reportPayload(caseId, area.a.point), null)],
      [village, cmd('c1', 'report', reportPayload(caseId, area.a.point), null)], // repeat
      [village, cmd('c1', 'report', reportPayload(`${caseId}x`, area.a.point), null)], // reused id
      [town, cmd('c1', 'report', reportPayload(caseId, area.a.point), null)], // another user's id
      [village, cmd('c2', 'verify', { caseId }, 1)],
      [town, cmd('c3', 'dispatch', { caseId, assignee: { kind: 'officer', id: 'NO-SUCH' } }, 2)],
      [town, cmd('c4', 'dispatch', { caseId, assignee: { kind: 'officer', id: o1.id } }, 2)],
      [town, cmd('c5', 'dispatch', { caseId, assignee: { kind: 'officer', id: o2.id } }, 2)], // loses
      [otherVillage, cmd('c6', 'verify', { caseId }, 3)], // outside its village: like a missing case
      [village, cmd('c7', 'report', reportPayload(caseId, area.a.point), null)], // id taken
    ];
    const run = async (store: DispatchStore): Promise<unknown[]> => {
      const base = await store.headSeq();
      const answers: unknown[] = [];
      for (const [who, command] of script) {
        clock += 60_000;
        const out = await store.handle(who, 'engines-test', command);
        answers.push({ repeat: out.repeat, answer: relative(out.answer, base) });
      }
      return answers;
    };
    const start = clock;
    const onSqlite = await run(sqlite);
    clock = start;
    const onPostgres = await run(postgres);
    expect(onPostgres).toEqual(onSqlite);
    // The script exercised what it says: accepted, repeat, refusals.
    const codes = onSqlite.map((x) => {
      const a = (x as { answer: CommandAnswer }).answer;
      return a.status === 'accepted' ? 'accepted' : a.code;
    });
    expect(codes).toEqual([
      'accepted',
      'accepted',
      'COMMAND_ID_REUSED',
      'COMMAND_ID_REUSED',
      'accepted',
      'NOT_FOUND',
      'accepted',
      'ALREADY_ASSIGNED',
      'NOT_FOUND',
      'DUPLICATE_CASE_ID',
    ]);
    expect((onSqlite[1] as { repeat: boolean }).repeat).toBe(true);
    // Same case, same events in both stores.
    expect(await postgres.caseById(caseId)).toEqual(await sqlite.caseById(caseId));
    const strip = (es: { seq: number }[]) => es.map(({ seq: _s, ...rest }) => rest);
    expect(strip(await postgres.caseEvents(caseId))).toEqual(strip(await sqlite.caseEvents(caseId)));
    expect(await postgres.countCases()).toBe(await sqlite.countCases());
  });
});
