#!/usr/bin/env -S npx tsx
/**
 * DTMF menu bot: greets the caller with a tone (a stand-in for your TTS) followed by the mark `greeting`,
 * then answers each key:
 *   1-9, 0  barge in (`clear`), play a tone whose pitch depends on the key, then mark `digit-<key>`
 *   *       `clear` only: stop talking
 *   #       say goodbye (a short tone), wait for its mark, then hang up by closing the socket, so the call
 *           flow continues with the step's `closed` outcome
 *
 *   npx tsx examples/bots/dtmf-bot.ts --port 8766 --protocol exotel
 */
import { pathToFileURL } from 'node:url';
import { runCli, serveBot, toneBytes, type BotOptions, type RunningBot } from './bot-kit.js';

const USAGE = `usage: npx tsx examples/bots/dtmf-bot.ts [--port 8766] [--host 127.0.0.1] [--protocol exotel|twilio|auto] [--auth TOKEN|USER:PASS] [--quiet]`;

/** How long each spoken thing lasts; multiples of 20 ms, as the platforms want. */
export const DTMF_BOT_TIMING = { greetingMs: 1000, answerMs: 400, goodbyeMs: 200 } as const;

const pitchOf = (digit: string): number => 400 + 100 * ('0123456789'.indexOf(digit) + 1);

/** Start the DTMF bot; resolves with {port, close}. */
export function startDtmfBot(opts: BotOptions): Promise<RunningBot> {
  return serveBot(opts, (stream) => {
    let leaving = false;
    stream
      .on('start', (s) => {
        stream.log(`start ${s.protocol} ${s.encoding} ${s.sampleRate} Hz call ${String(s.callSid)} params ${JSON.stringify(s.customParameters)}`);
        stream.sendAudio(toneBytes(stream, 440, DTMF_BOT_TIMING.greetingMs));
        stream.sendMark('greeting');
      })
      .on('dtmf', ({ digit }) => {
        stream.log(`dtmf ${digit}`);
        if (leaving) return;
        stream.clear();
        if (digit === '*') return;
        if (digit === '#') {
          leaving = true;
          stream.sendAudio(toneBytes(stream, 300, DTMF_BOT_TIMING.goodbyeMs));
          stream.sendMark('goodbye');
          return;
        }
        if (!/^[0-9]$/.test(digit)) return;
        stream.sendAudio(toneBytes(stream, pitchOf(digit), DTMF_BOT_TIMING.answerMs));
        stream.sendMark(`digit-${digit}`);
      })
      .on('mark', ({ name }) => {
        stream.log(`mark played: ${name}`);
        if (name === 'goodbye') stream.hangup('goodbye');
      })
      .on('stop', ({ reason }) => stream.log(`stop ${reason}`));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runCli(USAGE, startDtmfBot);
