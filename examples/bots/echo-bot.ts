#!/usr/bin/env -S npx tsx
/**
 * Echo bot: plays the caller's own audio back, in chunks of --chunk-ms (default 200 ms for exotel, the
 * platform's recommended minimum chunk, and 20 ms for twilio), each followed by a mark `echo-<n>` so you can
 * watch playout progress. A digit barges in: the bot sends `clear`, dropping echo not yet played.
 *
 *   npx tsx examples/bots/echo-bot.ts --port 8765 --protocol exotel
 *   npx tsx examples/bots/echo-bot.ts --port 8765 --protocol twilio
 */
import { pathToFileURL } from 'node:url';
import { runCli, serveBot, type BotOptions, type RunningBot } from './bot-kit.js';

const USAGE = `usage: npx tsx examples/bots/echo-bot.ts [--port 8765] [--host 127.0.0.1] [--protocol exotel|twilio|auto] [--auth TOKEN|USER:PASS] [--chunk-ms 200] [--quiet]`;

/** Start the echo bot; resolves with {port, close}. */
export function startEchoBot(opts: BotOptions): Promise<RunningBot> {
  return serveBot(opts, (stream) => {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let chunkBytes = 0;
    let echoes = 0;
    let heard = 0;
    let heardBytes = 0;
    stream
      .on('start', (s) => {
        const ms = opts.chunkMs ?? (s.protocol === 'twilio' ? 20 : 200);
        chunkBytes = Math.round(ms * stream.bytesPerMs);
        stream.log(`start ${s.protocol} ${s.encoding} ${s.sampleRate} Hz call ${String(s.callSid)} params ${JSON.stringify(s.customParameters)}`);
      })
      .on('media', ({ payload }) => {
        heard++;
        heardBytes += payload.length;
        if (chunkBytes === 0) return;
        pending.push(payload);
        pendingBytes += payload.length;
        while (pendingBytes >= chunkBytes) {
          const all = Buffer.concat(pending);
          stream.sendAudio(all.subarray(0, chunkBytes));
          stream.sendMark(`echo-${++echoes}`);
          pending = [all.subarray(chunkBytes)];
          pendingBytes = all.length - chunkBytes;
        }
      })
      .on('dtmf', ({ digit }) => {
        stream.log(`dtmf ${digit}: clearing queued echo`);
        pending = [];
        pendingBytes = 0;
        stream.clear();
      })
      .on('mark', ({ name }) => stream.log(`mark played: ${name}`))
      .on('stop', ({ reason }) => stream.log(`stop ${reason} after ${heard} media messages (${heardBytes} bytes), ${echoes} echoed`));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runCli(USAGE, startEchoBot);
