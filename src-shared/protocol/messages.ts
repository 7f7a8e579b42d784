// Every socket.io message between a console (or the simulated officer app) and the central
// dispatch server, with its schema. Client → server messages are requests with an ack; the
// ack carries a Result envelope. Server → client pushes are fire-and-forget.
import { z } from 'zod';
import { Command, CommandAnswer } from './commands';
import {
  Camera,
  Case,
  CaseEvent,
  Category,
  Department,
  Division,
  EpochMs,
  Grid,
  Id,
  Lat,
  Lon,
  Officer,
  OfficerFix,
  OfficerStatusSchema,
  Seat,
} from './entities';

/** Bumped on any incompatible change; the server refuses a handshake with another major. */
export const PROTOCOL_VERSION = 1;

/** Largest request payload the server handles; bigger ones are answered PAYLOAD_TOO_LARGE. */
export const MAX_MESSAGE_BYTES = 256 * 1024;
/** Transport limit (socket.io maxHttpBufferSize): beyond this the connection itself is dropped. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;
/** Catch-up and snapshot pages stay under this many bytes before compression. */
export const MAX_PAGE_BYTES = 1024 * 1024;

/** socket.io handshake `auth` object. */
export const Handshake = z.strictObject({
  token: z.string().min(16).max(512),
  clientId: Id,
  protocolVersion: z.number().int().positive(),
});
export type Handshake = z.infer<typeof Handshake>;

export const LoginRequest = z.strictObject({
  userName: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});
export const LoginResponse = z.object({ token: z.string(), seat: Seat, expiresAt: EpochMs });
export type LoginResponse = z.infer<typeof LoginResponse>;

// ---- sync feed ----
export const SNAPSHOT_KINDS = [
  'divisions',
  'grids',
  'officers',
  'cameras',
  'categories',
  'departments',
  'cases',
] as const;
export type SnapshotKind = (typeof SNAPSHOT_KINDS)[number];

export const SnapshotRequest = z.strictObject({
  kind: z.enum(SNAPSHOT_KINDS),
  /** Opaque cursor from the previous page, or null for the first. */
  cursor: z.string().max(256).nullable(),
  /** Ask for the page gzip-packed (see PackedPage): worth it on slow village links. */
  packed: z.boolean().optional(),
});
export const SnapshotPage = z.object({
  kind: z.enum(SNAPSHOT_KINDS),
  /** The log position the snapshot is consistent with: catch up from here afterwards. */
  watermark: z.number().int().nonnegative(),
  items: z.union([
    z.array(Division),
    z.array(Grid),
    z.array(Officer),
    z.array(Camera),
    z.array(Category),
    z.array(Department),
    z.array(Case),
  ]),
  nextCursor: z.string().nullable(),
});
export type SnapshotPage = z.infer<typeof SnapshotPage>;

export const CatchUpRequest = z.strictObject({
  after: z.number().int().nonnegative(),
  limit: z.number().int().positive().max(50_000).optional(),
  packed: z.boolean().optional(),
});

/**
 * A snapshot or catch-up page compressed by the application: gzip of the page's JSON. The
 * transport itself runs without permessage-deflate, which costs ~200 KB per socket and delays
 * every small message behind big ones; only the big pages are worth compressing.
 */
export interface PackedPage {
  packed: 'gzip';
  bytes: Uint8Array;
}
export const CatchUpPage = z.object({
  events: z.array(CaseEvent),
  /** Highest seq of the seat's scope included so far; save it in the same transaction. */
  watermark: z.number().int().nonnegative(),
  more: z.boolean(),
});
export type CatchUpPage = z.infer<typeof CatchUpPage>;

/** Live push: `prevSeq` is the previous event of the receiver's scope, for gap detection. */
export const EventPush = z.object({ prevSeq: z.number().int().nonnegative(), event: CaseEvent });
export type EventPush = z.infer<typeof EventPush>;

// ---- telemetry (volatile, latest value wins) ----
export const TelemetryReport = z.strictObject({
  officerId: Id,
  status: OfficerStatusSchema,
  lon: Lon,
  lat: Lat,
  heading: z.number().min(0).max(360).nullable(),
  at: EpochMs,
});
export const TelemetryBatch = z.object({ fixes: z.array(OfficerFix).max(20_000), at: EpochMs });
export type TelemetryBatch = z.infer<typeof TelemetryBatch>;

/** The message table: name → request schema (client → server, answered by ack). */
export const CLIENT_REQUESTS = {
  command: Command,
  'sync.snapshot': SnapshotRequest,
  'sync.catchUp': CatchUpRequest,
  'telemetry.report': TelemetryReport,
} as const;
export type ClientRequestName = keyof typeof CLIENT_REQUESTS;

/**
 * What each request's ack carries on success (inside the Result envelope). The console checks
 * command answers against it; snapshot and catch-up pages are not re-validated item by item
 * there (≈ 200,000 events a catch-up: bench/sync-apply), they come over the same authenticated
 * socket as the pushes and are written by the same server code.
 */
export const CLIENT_RESPONSES = {
  command: CommandAnswer,
  'sync.snapshot': SnapshotPage,
  'sync.catchUp': CatchUpPage,
  'telemetry.report': z.object({ at: EpochMs }),
} as const satisfies Record<ClientRequestName, z.ZodType>;

/**
 * Server → client pushes. The console validates every push against its schema before using it
 * (src-main/data/sync-engine.ts): an unknown or malformed push is logged and ignored.
 */
export const SERVER_PUSHES = {
  event: EventPush,
  'telemetry.batch': TelemetryBatch,
  /** The server is going away (restart); reconnect and catch up. */
  'server.shutdown': z.object({ at: EpochMs }),
  /** This socket's session ended (logout elsewhere, password change, expiry); it is closed next. */
  'session.ended': z.object({ code: z.enum(['SESSION_ENDED', 'SESSION_EXPIRED']), message: z.string() }),
} as const;
export type ServerPushName = keyof typeof SERVER_PUSHES;
export type ServerPush<K extends ServerPushName> = z.infer<(typeof SERVER_PUSHES)[K]>;

export function isServerPushName(name: string): name is ServerPushName {
  return Object.prototype.hasOwnProperty.call(SERVER_PUSHES, name);
}

/** Ack envelope (STYLE.md: errors are values at the boundary). */
export const AckError = z.object({
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export const Ack = <T extends z.ZodType>(data: T) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), data }),
    z.object({ ok: z.literal(false), error: AckError }),
  ]);
