/** A scriptable local WebSocket bot for tests: records every message and upgrade header, can reply. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** A running test bot. */
export interface TestBot {
  url: string;
  port: number;
  messages: Array<Record<string, unknown>>;
  upgrades: IncomingHttpHeaders[];
  /** Resolves with the bot side of the next connection. */
  nextSocket(): Promise<WebSocket>;
  /** Resolves once a message matching `pred` has arrived. */
  waitFor(pred: (m: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Start a bot on 127.0.0.1; `reject` refuses upgrades with that HTTP status. */
export async function startTestBot(opts: { reject?: number } = {}): Promise<TestBot> {
  const http: Server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  const messages: Array<Record<string, unknown>> = [];
  const upgrades: IncomingHttpHeaders[] = [];
  const waiters: Array<(ws: WebSocket) => void> = [];
  const sockets: WebSocket[] = [];
  const listeners = new Set<() => void>();
  http.on('upgrade', (req, socket, head) => {
    upgrades.push(req.headers);
    if (opts.reject) {
      socket.end(`HTTP/1.1 ${opts.reject} Refused\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.push(ws);
      ws.on('message', (data, binary) => {
        if (!binary) messages.push(JSON.parse((data as Buffer).toString()) as Record<string, unknown>);
        for (const l of listeners) l();
      });
      const w = waiters.shift();
      if (w) w(ws);
      else pending.push(ws);
    });
  });
  const pending: WebSocket[] = [];
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/bot`,
    port,
    messages,
    upgrades,
    nextSocket: () => {
      const ws = pending.shift();
      return ws ? Promise.resolve(ws) : new Promise((r) => waiters.push(r));
    },
    waitFor(pred, timeoutMs = 3000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const m = messages.find(pred);
          if (m) {
            listeners.delete(check);
            clearTimeout(t);
            resolve(m);
            return true;
          }
          return false;
        };
        const t = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for a bot message; saw ${JSON.stringify(messages.map((m) => m.event))}`));
        }, timeoutMs);
        if (!check()) listeners.add(check);
      });
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.terminate();
        wss.close();
        http.closeAllConnections();
        http.close(() => r());
      }),
  };
}
