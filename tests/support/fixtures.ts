// Picks real places and people out of a running server's reference data for tests.
import type { Command } from '../../src-shared/protocol/commands';
import type { Grid, Officer } from '../../src-shared/protocol/entities';
import { uuidv7 } from '../../src-shared/util/ids';
import type { DispatchServer } from '../../src-server/server';

/** What the pickers read: a server's reference data (and its officers' last fixes when it has them). */
export type RefSource = Pick<DispatchServer, 'ref'> & {
  telemetry?: Pick<DispatchServer['telemetry'], 'all'>;
};

/** A point strictly inside a grid (the centroid when inside, else an officer's fix there). */
export function pointInGrid(server: RefSource, gridCode: string): [number, number] {
  const grid = server.ref.grids.get(gridCode);
  if (!grid) throw new Error(`no grid ${gridCode}`);
  const [lon, lat] = grid.centroid;
  if (server.ref.pointIndex.lookup(lon, lat)?.gridCode === gridCode) return [lon, lat];
  for (const fix of server.telemetry?.all() ?? []) {
    if (server.ref.pointIndex.lookup(fix.lon, fix.lat)?.gridCode === gridCode) return [fix.lon, fix.lat];
  }
  throw new Error(`no known point inside grid ${gridCode}`);
}

export function gridsOfVillage(server: RefSource, villageCode: string): Grid[] {
  return [...server.ref.grids.values()].filter((g) => g.villageCode === villageCode);
}

export function officersOfGrid(server: RefSource, gridCode: string): Officer[] {
  return [...server.ref.officers.values()].filter((o) => o.homeGridCode === gridCode);
}

/** Two different villages of one town, each with a grid that has at least three officers. */
export function pickArea(server: RefSource, townIndex = 0) {
  const towns = [...new Set([...server.ref.grids.values()].map((g) => g.townCode))].sort();
  const townCode = towns[townIndex % towns.length];
  const villages = [
    ...new Set(
      [...server.ref.grids.values()].filter((g) => g.townCode === townCode).map((g) => g.villageCode),
    ),
  ].sort();
  const withTeam = (villageCode: string) => {
    const grid = gridsOfVillage(server, villageCode).find((g) => officersOfGrid(server, g.code).length >= 3);
    if (!grid) throw new Error(`village ${villageCode} has no grid with 3 officers`);
    return {
      villageCode,
      grid,
      officers: officersOfGrid(server, grid.code),
      point: pointInGrid(server, grid.code),
    };
  };
  return { townCode, a: withTeam(villages[0]), b: withTeam(villages[1]) };
}

export function reportPayload(caseId: string, point: [number, number], extra: Record<string, unknown> = {}) {
  return {
    caseId,
    categoryCode: '01001',
    source: 'hotline',
    description: '消防通道被杂物堵塞',
    address: '测试地址',
    lon: point[0],
    lat: point[1],
    photos: [],
    ...extra,
  };
}

/**
 * Runs a command on the server as a seat (by user id), on the case's current version; the
 * server's answer. `clientTime` defaults to the wall clock.
 */
export function execAs(
  server: DispatchServer,
  userId: string,
  type: Command['type'],
  payload: Record<string, unknown>,
  clientTime = Date.now(),
) {
  return server.execute(userId, `it-${userId}`, {
    commandId: uuidv7(),
    clientId: `it-${userId}`,
    type,
    payload,
    baseVersion:
      payload.caseId && type !== 'report'
        ? server.commands.store.get(payload.caseId as string)!.version
        : null,
    clientTime,
  } as Command);
}
