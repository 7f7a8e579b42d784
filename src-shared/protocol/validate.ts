// One place that turns a zod failure into the project's error value, with the path of the
// first offending field, so every boundary (socket, HTTP, IPC) reports bad input the same way.
import type { z } from 'zod';
import { err, ok, type Result } from '../util/result';

export function parseWith<S extends z.ZodType>(schema: S, input: unknown, what: string): Result<z.infer<S>> {
  const r = schema.safeParse(input);
  if (r.success) return ok(r.data);
  const issues = r.error.issues.slice(0, 5).map((i) => ({
    path: i.path.map(String).join('.') || '(root)',
    message: i.message,
  }));
  const first = issues[0];
  return err('BAD_REQUEST', `invalid ${what}: ${first ? `${first.path}: ${first.message}` : 'malformed'}`, {
    issues,
  });
}
