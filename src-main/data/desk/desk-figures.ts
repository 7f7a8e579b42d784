// The seat's desk figures from the dispatch server (GET /api/desk/figures: today's and this
// week's rates over the server's records, history included — the console's cache holds only the
// open cases and what moved since its snapshot, so it cannot count a period's closures). The last
// answer is kept as desk-figures.json in the seat's directory and shown, marked stale with the
// instant it was computed, while the server cannot be asked.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScopeFigures, type DeskFiguresView, type ScopeFigures } from '../../../src-shared/desk/figures';
import { readAnswer, type SeatHttpOptions } from '../server-http';

export interface DeskFiguresClientOptions extends SeatHttpOptions {
  /** False while the link is down: the last copy is answered without trying the server. */
  online: () => boolean;
}

const FILE = 'desk-figures.json';

export class DeskFiguresClient {
  constructor(private readonly options: DeskFiguresClientOptions) {}

  private get file(): string {
    return join(this.options.dir, FILE);
  }

  /** The server's figures now, or the last copy (stale) when it cannot be asked. */
  async get(): Promise<DeskFiguresView> {
    const o = this.options;
    if (o.online()) {
      try {
        const res = await o.fetch(`${o.serverUrl}/api/desk/figures`, {
          headers: { authorization: `Bearer ${o.token}` },
          signal: AbortSignal.timeout(o.timeoutMs ?? 15_000),
        });
        const answer = await readAnswer<unknown>(res);
        const figures = answer.ok ? parseScopeFigures(answer.data) : null;
        if (figures) {
          const view: DeskFiguresView = { figures, fetchedAt: o.now(), stale: false };
          this.keep(view);
          return view;
        }
        o.log?.(
          `desk figures: HTTP ${res.status} ${answer.ok ? 'not a figures answer' : answer.error.message}`,
        );
      } catch (e) {
        o.log?.(`desk figures: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return { ...this.last(), stale: true };
  }

  private keep(view: DeskFiguresView): void {
    mkdirSync(this.options.dir, { recursive: true });
    writeFileSync(`${this.file}.tmp`, JSON.stringify(view));
    renameSync(`${this.file}.tmp`, this.file);
  }

  private last(): { figures: ScopeFigures | null; fetchedAt: number | null } {
    try {
      const raw = JSON.parse(readFileSync(this.file, 'utf8')) as { figures?: unknown; fetchedAt?: unknown };
      const figures = parseScopeFigures(raw.figures);
      if (figures && typeof raw.fetchedAt === 'number') return { figures, fetchedAt: raw.fetchedAt };
    } catch {
      // no copy yet, or an unreadable one: nothing to show
    }
    return { figures: null, fetchedAt: null };
  }
}
