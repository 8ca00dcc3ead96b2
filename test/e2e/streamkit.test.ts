/**
 * The bundled StreamKit flow (flows/streamkit) end to end: SIPp calls in from the `streamkit` trunk's
 * whitelisted address, the call is streamed to a local Exotel-protocol WebSocket bot with the configured
 * custom parameters, and the call ends when the bot closes the socket. An unreachable bot takes the fallback.
 */
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioDir, uacScenario } from './agora-sipp.js';
import { portBlock, type PortBlock } from './support/ports.js';
import { startServer, type TestServer } from './support/server.js';
import { runSipp } from './support/sipp.js';

const FLOWS = fileURLToPath(new URL('../../flows/streamkit', import.meta.url));
const TRUNK = { streamkit: { uri: 'sip:127.0.0.1:5060', sources: ['127.0.0.1/32'] } };

type BotMessage = { event: string; [k: string]: unknown };

/** A bot that records what it receives, sends 200 ms of audio after `start`, and hangs up after `closeAfterMs`. */
async function startBot(
  closeAfterMs: number,
): Promise<{ url: string; messages: BotMessage[]; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const messages: BotMessage[] = [];
  wss.on('connection', (ws) => {
    ws.on('message', (data: Buffer) => {
      const msg = JSON.parse(data.toString('utf8')) as BotMessage;
      messages.push(msg);
      if (msg.event !== 'start') return;
      const streamSid = typeof msg.stream_sid === 'string' ? msg.stream_sid : '';
      ws.send(
        JSON.stringify({
          event: 'media',
          stream_sid: streamSid,
          media: { payload: Buffer.alloc(3200).toString('base64') },
        }),
      );
      setTimeout(() => ws.close(1000, 'bye'), closeAfterMs);
    });
  });
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/stream`,
    messages,
    close: () => new Promise<void>((r) => wss.close(() => r())),
  };
}

async function serve(ports: PortBlock, botUrl: string): Promise<TestServer> {
  return startServer({
    flowsDir: FLOWS,
    rtp: ports.rtp,
    config: {
      trunks: TRUNK,
      flowConfig: {
        streamkit: {
          bot_url: botUrl,
          custom_parameters: { campaign: 'spring', lang: 'en' },
          prompt_unavailable: 'Sorry.',
        },
      },
    },
  });
}

describe('bundled flow streamkit: calls from the streamkit trunk go to the bot', () => {
  const scenarios = scenarioDir();
  const ports = portBlock(16120);
  let srv: TestServer;
  let bot: Awaited<ReturnType<typeof startBot>>;

  beforeAll(async () => {
    bot = await startBot(1500);
    srv = await serve(ports, bot.url);
  });
  afterAll(async () => {
    await srv?.stop();
    await bot?.close();
    scenarios.cleanup();
  });

  it('streams the call with its custom parameters and hangs up when the bot closes the socket', async () => {
    const xml = uacScenario({ keys: [{ afterMs: 500, keys: '5' }], end: 'wait-bye' });
    const result = await runSipp({
      scenario: scenarios.write('streamkit', xml),
      port: ports.sipp(0),
      mediaPort: ports.media(0),
      remote: srv.sipTarget,
      service: '+911800123456',
      timeoutSec: 30,
    }).done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
    const events = bot.messages.map((m) => m.event);
    expect(events[0]).toBe('connected');
    const start = bot.messages.find((m) => m.event === 'start')?.start as Record<string, unknown> | undefined;
    expect(start).toMatchObject({
      to: '+911800123456',
      custom_parameters: { campaign: 'spring', lang: 'en' },
    });
    expect(bot.messages.some((m) => m.event === 'dtmf' && (m.dtmf as { digit?: string }).digit === '5')).toBe(
      true,
    );
  });
});

describe('bundled flow streamkit: an unreachable bot', () => {
  const scenarios = scenarioDir();
  const ports = portBlock(16120);
  let srv: TestServer;

  beforeAll(async () => {
    srv = await serve(ports, 'ws://127.0.0.1:9/unreachable');
  });
  afterAll(async () => {
    await srv?.stop();
    scenarios.cleanup();
  });

  it('apologises and hangs up', async () => {
    const xml = uacScenario({ keys: [], end: 'wait-bye' });
    const result = await runSipp({
      scenario: scenarios.write('streamkit-down', xml),
      port: ports.sipp(0),
      mediaPort: ports.media(0),
      remote: srv.sipTarget,
      service: '+911800123456',
      timeoutSec: 40,
    }).done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
    const routed = srv.logs.filter((l) => /streamkit: the bot could not be reached/.test(JSON.stringify(l)));
    expect(routed.length).toBeGreaterThan(0);
  });
});
