// Issue 14 §5, the rest: the admin and system seats no longer share the demo password, and a
// seat whose hash was made with older scrypt parameters is re-hashed at its next good login.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD_FILE, NO_LOGIN } from '../../src-server/auth/operator-secrets';
import { hashPassword, paramsOf } from '../../src-server/auth/passwords';
import { DEMO_PASSWORD } from '../../src-server/dataset/import-dataset';
import { startDispatchServer } from '../../src-server/server';
import { ensureSmallDataset } from '../support/datasets';
import { adminPassword, startTestServer, type TestServer } from '../support/server-client';

async function tryLogin(
  t: TestServer,
  userName: string,
  password: string,
): Promise<{ status: number; code: string | null; role: string | null }> {
  const res = await fetch(`${t.server.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', connection: 'close' },
    body: JSON.stringify({ userName, password }),
  });
  const body = (await res.json()) as {
    ok: boolean;
    data?: { seat: { role: string } };
    error?: { code: string };
  };
  return { status: res.status, code: body.error?.code ?? null, role: body.data?.seat.role ?? null };
}

describe('admin and system seats have their own secrets', () => {
  let t: TestServer;
  const lines: string[] = [];

  beforeAll(async () => {
    t = await startTestServer({ log: (line) => lines.push(line) });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('admin gets a generated password in a 0600 file, printed once; the demo password is refused', async () => {
    const file = join(t.dataDir, ADMIN_PASSWORD_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const password = adminPassword(t);
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(lines.filter((l) => l.includes(password))).toHaveLength(1);

    expect(await tryLogin(t, 'admin', DEMO_PASSWORD)).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(await tryLogin(t, 'admin', password)).toMatchObject({ status: 200, role: 'admin' });
    // Its hash is its own, at today's parameters; the demo seats keep theirs.
    const adminHash = t.server.seats.passwordHashOf('U-admin')!;
    expect(paramsOf(adminHash)).toEqual({ N: 131072, r: 8, p: 1 });
    expect(adminHash).not.toBe(t.server.seats.passwordHashOf('U-city-dispatcher'));
    expect(await tryLogin(t, 'city.dispatcher', DEMO_PASSWORD)).toMatchObject({ status: 200 });
  });

  it('the system seat cannot log in at all, with the demo password or any other', async () => {
    expect(t.server.seats.passwordHashOf('U-system')).toBe(NO_LOGIN);
    expect(await tryLogin(t, 'system', DEMO_PASSWORD)).toMatchObject({
      status: 401,
      code: 'UNAUTHORIZED',
    });
    expect(await tryLogin(t, 'system', NO_LOGIN)).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
  });

  it('a restart keeps the admin password and does not print it again', async () => {
    const password = adminPassword(t);
    lines.length = 0;
    await t.restart();
    expect(lines.some((l) => l.includes(password))).toBe(false);
    expect(lines.some((l) => l.includes(`admin password: in ${join(t.dataDir, ADMIN_PASSWORD_FILE)}`))).toBe(
      true,
    );
    expect(await tryLogin(t, 'admin', password)).toMatchObject({ status: 200, role: 'admin' });
  });

  it('a deployment-given admin password replaces the generated one and its file', async () => {
    const generated = adminPassword(t);
    const given = 'Ops-given-secret-2026';
    await t.server.close();
    t.server = await startDispatchServer({
      dataDir: t.dataDir,
      datasetDir: ensureSmallDataset(),
      port: 0,
      log: () => undefined,
      adminPassword: given,
      systemPassword: 'integration-bridge-secret',
    });
    expect(existsSync(join(t.dataDir, ADMIN_PASSWORD_FILE))).toBe(false);
    expect(await tryLogin(t, 'admin', given)).toMatchObject({ status: 200, role: 'admin' });
    expect(await tryLogin(t, 'admin', generated)).toMatchObject({ status: 401 });
    expect(await tryLogin(t, 'system', 'integration-bridge-secret')).toMatchObject({
      status: 200,
      role: 'system',
    });
  });
});

describe('re-hashing at a good login', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('replaces a hash of older scrypt parameters, and only after the right password', async () => {
    const id = 'U-city-leader';
    const old = await hashPassword(DEMO_PASSWORD, { N: 1 << 15, r: 8, p: 1 });
    t.server.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(old, id);

    expect(await tryLogin(t, 'city.leader', 'not-the-password')).toMatchObject({ status: 401 });
    expect(t.server.seats.passwordHashOf(id)).toBe(old);

    expect(await tryLogin(t, 'city.leader', DEMO_PASSWORD)).toMatchObject({ status: 200 });
    const upgraded = t.server.seats.passwordHashOf(id)!;
    expect(upgraded).not.toBe(old);
    expect(paramsOf(upgraded)).toEqual({ N: 131072, r: 8, p: 1 });
    // The new hash is a real one: the same password still logs in, a wrong one does not.
    expect(await tryLogin(t, 'city.leader', DEMO_PASSWORD)).toMatchObject({ status: 200 });
    expect(await tryLogin(t, 'city.leader', 'grid-demo-2025')).toMatchObject({ status: 401 });
    expect(t.server.seats.passwordHashOf(id)).toBe(upgraded);
  });
});
