/** A local HTTP server for flows to call (lookup, notify): JSON in, JSON out, every request recorded. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the stub received. */
export interface StubRequest {
  method: string;
  path: string;
  body: unknown;
}

/** What the handler answers. */
export interface StubReply {
  status: number;
  body?: unknown;
}

/** A running stub. */
export interface HttpStub {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  requests: StubRequest[];
  close(): Promise<void>;
}

/** Start a stub on an ephemeral port. */
export async function startHttpStub(handler: (req: StubRequest) => StubReply): Promise<HttpStub> {
  const requests: StubRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? (JSON.parse(text) as unknown) : undefined;
      } catch {
        // Keep the text.
      }
      const r: StubRequest = {
        method: req.method ?? 'GET',
        path: (req.url ?? '/').split('?')[0] ?? '/',
        body,
      };
      requests.push(r);
      const reply = handler(r);
      res
        .writeHead(reply.status, { 'content-type': 'application/json' })
        .end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
