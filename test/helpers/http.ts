import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';

/** One request the test server received. */
export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: unknown;
}

/** How the server answers: a status code, or 'hang' (never answers). */
export type Answer = number | 'hang';

/** A real HTTP server on 127.0.0.1 (ephemeral port) that records every request. */
export interface TestServer {
  url: string;
  port: number;
  received: Received[];
  /** The answer to the next requests: each call queues answers; when none is queued, `fallback`. */
  answer(...answers: Answer[]): void;
  fallback: Answer;
  close(): Promise<void>;
}

/** Starts a recording server (on `port` when given); it is closed when the test file ends. */
export async function startServer(port = 0): Promise<TestServer> {
  const queue: Answer[] = [];
  const hanging: ServerResponse[] = [];
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let json: unknown;
      try { json = JSON.parse(body.toString('utf8')); } catch { json = undefined; }
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json });
      const answer = queue.shift() ?? api.fallback;
      if (answer === 'hang') { hanging.push(res); return; }
      res.writeHead(answer, { 'content-type': 'text/plain' }).end('OK');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  let closed = false;
  const api: TestServer = {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    received,
    answer: (...answers) => { queue.push(...answers); },
    fallback: 200,
    close: () => {
      if (closed) return Promise.resolve();
      closed = true;
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  after(() => api.close());
  return api;
}
