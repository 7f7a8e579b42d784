// "One address in front of the nodes" for tests (docs/deployment.md): a TCP relay on a free
// loopback port that forwards each connection to the node it currently routes to, as a load
// balancer keeping a seat on one node would. `moveTo` sends new connections to another node and
// drops the open ones (what the console sees when a balancer fails it over). A connection to a
// node that is down is closed at once, so the console sees a refused link and retries.
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Front {
  /** http://127.0.0.1:<port> — the console's server address. */
  readonly url: string;
  /** The node (index) new connections go to. */
  readonly node: number;
  moveTo(node: number): void;
  close(): Promise<void>;
}

/** A relay whose target is `ports()[node]` (read at each connection: a restarted node keeps its port). */
export async function startFront(node: number, ports: () => readonly number[]): Promise<Front> {
  let target = node;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(ports()[target], '127.0.0.1');
    open.add(client).add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get node() {
      return target;
    },
    moveTo(next) {
      target = next;
      for (const s of open) s.destroy();
      open.clear();
    },
    close() {
      for (const s of open) s.destroy();
      open.clear();
      return new Promise<void>((done) => server.close(() => done()));
    },
  };
}
