/** A real local HTTP server that plays scripted routes, for the Http contract and e2e tests. */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Http } from '../../src/ports/http.js';
import type { HttpHarness, ScriptedRoute, SeenRequest } from '../contracts/http-contract.js';

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Start a server on 127.0.0.1 playing `routes`; `http` is the client under test. */
export async function startScriptedServer(routes: ScriptedRoute[], http: Http): Promise<HttpHarness> {
  const seen: SeenRequest[] = [];
  const counters = new Map<ScriptedRoute, number>();
  const server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const body = await readJson(req);
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
      seen.push({ method: req.method ?? '', path, headers, body });
      const route = routes.find((r) => r.method === req.method && r.path === path);
      if (!route) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'no scripted route' }));
        return;
      }
      const n = counters.get(route) ?? 0;
      counters.set(route, n + 1);
      const step = route.sequence[Math.min(n, route.sequence.length - 1)];
      if (step === undefined || step === 'drop') {
        req.socket.destroy();
        return;
      }
      if (step.delayMs) await new Promise((r) => setTimeout(r, step.delayMs));
      if (res.destroyed) return;
      const payload = step.body === undefined ? '' : JSON.stringify(step.body);
      res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers }).end(payload);
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    http,
    baseUrl: `http://127.0.0.1:${port}`,
    seen: () => seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
