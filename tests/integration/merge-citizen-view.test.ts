// 一事多报 and least privilege (issue 14 §6): when another reporter's duplicate is merged into a
// citizen's report, the citizen app keeps receiving its own report — never the duplicate's
// photos, reporter or number — on every path it reads (catch-up, snapshot, history, photos,
// a refusal's `current`), while the seats of the area see the merged case whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandAnswer } from '../../src-shared/protocol/commands';
import type { Case } from '../../src-shared/protocol/entities';
import { uuidv7 } from '../../src-shared/util/ids';
import { renderScenePhoto } from '../../src-server/simulator/png';
import { pickArea, reportPayload } from '../support/fixtures';
import {
  connectConsole,
  login,
  startTestServer,
  type TestConsole,
  type TestServer,
} from '../support/server-client';

let t: TestServer;
let area: ReturnType<typeof pickArea>;
const tokens: Record<string, string> = {};
let town: TestConsole;
let village: TestConsole;
let citizen: TestConsole;

async function upload(token: string, label: string): Promise<string> {
  const res = await fetch(`${t.server.url}/api/photos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
    body: new Uint8Array(renderScenePhoto(label, 'before')),
  });
  return ((await res.json()) as { data: { hash: string } }).data.hash;
}

async function report(c: TestConsole, extra: Record<string, unknown>): Promise<Case> {
  const id = `MC${uuidv7().slice(-12)}`;
  const ack = await c.command('report', reportPayload(id, area.a.point, extra));
  const a = ack.data as CommandAnswer;
  if (a.status !== 'accepted') throw new Error(JSON.stringify(a));
  return a.events[0].payload.case as Case;
}

const get = (token: string, path: string): Promise<Response> =>
  fetch(`${t.server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  t = await startTestServer();
  area = pickArea(t.server);
  for (const u of [`${area.townCode}.dispatcher`, `${area.a.villageCode}.operator`, 'citizen.app'])
    tokens[u] = await login(t.server, u);
  [town, village, citizen] = await Promise.all(
    [`${area.townCode}.dispatcher`, `${area.a.villageCode}.operator`, 'citizen.app'].map((u) =>
      connectConsole(t.server, tokens[u]),
    ),
  );
});

afterAll(async () => {
  for (const c of [town, village, citizen]) c?.close();
  await t?.dispose();
});

describe('a duplicate merged into a citizen’s report', () => {
  it('stays out of everything the citizen app receives; the seats see it', async () => {
    const cit = tokens['citizen.app'];
    const op = tokens[`${area.a.villageCode}.operator`];
    const citizenPhoto = await upload(cit, 'citizen-own');
    const otherPhoto = await upload(op, 'operator-dup');
    const primary = await report(citizen, { source: 'citizen', photos: [citizenPhoto] });
    const dup = await report(village, { photos: [otherPhoto] });
    const head = t.server.events.headSeq();
    const merged = (
      await town.command('merge', { caseId: dup.id, primaryId: primary.id, reason: '一事多报' })
    ).data as CommandAnswer;
    expect(merged.status).toBe('accepted');
    const secrets = [otherPhoto, dup.number!, dup.id, dup.reporterId];
    const leaked = (text: string): string[] => secrets.filter((s) => text.includes(s));

    // The seats of the area see the merged case whole (so the checks below can fail).
    const seatView = JSON.stringify(await village.request('sync.catchUp', { after: head }));
    expect(seatView).toContain(otherPhoto);
    expect(seatView).toContain(dup.number!);

    // The citizen app: catch-up, snapshot, history, the photo itself, a refusal's `current`.
    const feed = JSON.stringify(await citizen.request('sync.catchUp', { after: head }));
    expect(feed).toContain(primary.id); // its own report's event did arrive
    expect(feed).toContain(citizenPhoto);
    expect(leaked(feed)).toEqual([]);
    const snap = JSON.stringify(await citizen.request('sync.snapshot', { kind: 'cases', cursor: null }));
    expect(snap).toContain(primary.id);
    expect(leaked(snap)).toEqual([]);
    const history = await get(cit, `/api/cases/${primary.id}/history`);
    expect(history.status).toBe(200);
    const historyText = await history.text();
    expect(historyText).toContain('case.duplicate_merged');
    expect(leaked(historyText)).toEqual([]);
    expect((await get(cit, `/api/photos/${otherPhoto}`)).status).toBe(404);
    expect((await get(cit, `/api/photos/${citizenPhoto}`)).status).toBe(200);
    expect((await get(op, `/api/photos/${otherPhoto}`)).status).toBe(200);
    const again = JSON.stringify(
      await citizen.command('report', reportPayload(primary.id, area.a.point, { source: 'citizen' })),
    );
    expect(again).toContain('rejected');
    expect(leaked(again)).toEqual([]);
  });
});
