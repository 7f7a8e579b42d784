// The one call pipeline (src-main/data/pipeline.ts): every contract call is answered exactly once —
// by ConsoleService for MAIN_CALLS, by exactly one feature handler object for every data call —
// and ConsoleService forwards a data call to the worker under its contract name, arguments as
// validated by the call router. (The types say the same at compile time; this pins the run time.)
import { describe, expect, it } from 'vitest';
import { routeCall } from '../../src-main/app/call-router';
import { consoleService } from '../../src-main/app/console-service';
import type { DataClient } from '../../src-main/data/data-client';
import type { DataService } from '../../src-main/data/data-service';
import { FEATURES, workerHandlers } from '../../src-main/data/handlers';
import { CALLS, DATA_CALLS, MAIN_CALLS, OFFLINE_STATE } from '../../src-shared/ipc/contract';

// The feature builders only close over the service; nothing is called until a handler runs.
const unusedService = {} as DataService;

describe('call pipeline', () => {
  it('splits the contract into main calls and data calls, each named once', () => {
    const all = Object.keys(CALLS).sort();
    expect([...MAIN_CALLS, ...DATA_CALLS].sort()).toEqual(all);
    expect(DATA_CALLS.filter((n) => (MAIN_CALLS as readonly string[]).includes(n))).toEqual([]);
  });

  it('answers each data call in exactly one feature, and nothing the contract does not name', () => {
    const owners = new Map<string, string[]>();
    for (const [feature, build] of Object.entries(FEATURES))
      for (const name of Object.keys(build(unusedService)))
        owners.set(name, [...(owners.get(name) ?? []), feature]);
    expect([...owners.entries()].filter(([, f]) => f.length > 1)).toEqual([]);
    expect([...owners.keys()].sort()).toEqual([...DATA_CALLS].sort());
    // The worker's map is those plus its one internal call (the media proxy).
    expect(Object.keys(workerHandlers(unusedService)).sort()).toEqual([...DATA_CALLS, 'media.fetch'].sort());
  });

  it('forwards a data call to the worker by its contract name with the validated arguments', async () => {
    const calls: unknown[][] = [];
    const worker = {
      call: (name: string, ...args: unknown[]) => {
        calls.push([name, ...args]);
        return Promise.resolve({ rows: 'from the worker' });
      },
    } as unknown as Pick<DataClient, 'call'>;
    const service = consoleService({ host: 'web', version: 't', platform: 'test', data: worker });
    const answer = await routeCall(service, 'desk.recommend', ['C-1', 3]);
    expect(answer).toEqual({ ok: true, data: { rows: 'from the worker' } });
    expect(calls).toEqual([['desk.recommend', 'C-1', 3]]);
    // Refused by the contract before the worker sees it.
    expect(await routeCall(service, 'desk.recommend', ['C-1', 999])).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    // Main calls are answered on the main side.
    expect(await routeCall(service, 'app.ping', ['x'])).toEqual({ ok: true, data: 'pong:x' });
    expect(calls).toHaveLength(1);
  });

  it('without a data worker: offline and nobody logged in, data calls refused with a code', async () => {
    const service = consoleService({ host: 'web', version: 't', platform: 'test', data: null });
    expect(await routeCall(service, 'connection.state', [])).toEqual({ ok: true, data: OFFLINE_STATE });
    expect(await routeCall(service, 'session.current', [])).toEqual({ ok: true, data: null });
    expect(await routeCall(service, 'desk.queue', [])).toMatchObject({
      ok: false,
      error: { code: 'NO_DATA_SERVICE' },
    });
  });
});
