/** The Bots contract against the real WebSocket bots engine, with local ws bots speaking the Exotel protocol. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { WebSocketServer } from 'ws';
import { createWsBots } from '../../src/bots/index.js';
import { describeBotsContract, type BotBehaviour, type BotSeen } from './bots-contract.js';
import { RealTimeTap } from './real-time-tap.js';

describeBotsContract('websocket (exotel)', async () => {
  const behaviours = new Map<string, { b: BotBehaviour; seen: BotSeen }>();
  const timers = new Set<NodeJS.Timeout>();
  const http = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (ws, req) => {
    const bot = behaviours.get(req.url ?? '');
    if (!bot) return ws.close();
    const later = (ms: number, fn: () => void): void => void timers.add(setTimeout(fn, ms));
    ws.on('message', (data) => {
      const msg = JSON.parse((data as Buffer).toString()) as { event?: string; stream_sid?: string; mark?: { name?: string }; dtmf?: { digit?: string } };
      if (msg.event === 'start') {
        const sid = msg.stream_sid;
        const speak = bot.b.speak;
        if (speak) {
          later(speak.afterMs, () => {
            const payload = Buffer.alloc((speak.ms / 1000) * 8000 * 2).toString('base64');
            ws.send(JSON.stringify({ event: 'media', stream_sid: sid, media: { payload } }));
            ws.send(JSON.stringify({ event: 'mark', stream_sid: sid, mark: { name: speak.mark } }));
          });
        }
        if (bot.b.closeAfterMs !== undefined) later(bot.b.closeAfterMs, () => ws.close(1000));
      } else if (msg.event === 'mark' && msg.mark?.name) bot.seen.marks.push(msg.mark.name);
      else if (msg.event === 'dtmf' && msg.dtmf?.digit) bot.seen.digits.push(msg.dtmf.digit);
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;
  let n = 0;
  return {
    bots: createWsBots({ log: pino({ level: 'silent' }), pingIntervalMs: 60_000 }),
    tap() {
      const tap = new RealTimeTap(8000);
      return { tap, press: (d) => tap.press(d) };
    },
    bot(b) {
      const path = `/bot/${++n}`;
      const seen: BotSeen = { marks: [], digits: [] };
      behaviours.set(path, { b, seen });
      // Port 9 (discard) on 127.0.0.1 refuses connections: an unreachable bot.
      const url = b.unreachable ? 'ws://127.0.0.1:9/nobody' : `ws://127.0.0.1:${port}${path}`;
      return Promise.resolve({ url, seen: () => seen });
    },
    pass: (ms) => new Promise((r) => setTimeout(r, ms)),
    settle: (p) => p,
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
});
