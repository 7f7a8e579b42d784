// The console's reading of the server's JSON envelope (src-main/data/server-http.ts readAnswer),
// on real fetch Responses.
import { describe, expect, it } from 'vitest';
import { readAnswer } from '../../src-main/data/server-http';

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('readAnswer', () => {
  it('answers the data of an accepted answer', async () => {
    expect(await readAnswer(json(200, { ok: true, data: { n: 1 } }))).toEqual({ ok: true, data: { n: 1 } });
    expect(await readAnswer(json(201, { ok: true, data: null }))).toEqual({ ok: true, data: null });
  });

  it("keeps the server's refusal code and message", async () => {
    expect(
      await readAnswer(json(403, { ok: false, error: { code: 'FORBIDDEN', message: 'not your area' } })),
    ).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'not your area' } });
  });

  it('calls anything else a bad answer, naming the status', async () => {
    expect(await readAnswer(new Response('<html>gateway</html>', { status: 502 }))).toEqual({
      ok: false,
      error: { code: 'BAD_ANSWER', message: 'the server answered 502 without JSON' },
    });
    expect(await readAnswer(json(200, { ok: true }))).toEqual({
      ok: false,
      error: { code: 'BAD_ANSWER', message: 'the server answered 200' },
    });
    expect(await readAnswer(json(500, null))).toEqual({
      ok: false,
      error: { code: 'BAD_ANSWER', message: 'the server answered 500' },
    });
  });
});
