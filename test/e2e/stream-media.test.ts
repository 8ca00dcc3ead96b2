/**
 * stream-to-websocket media behaviour end to end, measured at both ends: SIPp places the call (SIP only), its
 * SDP points at a UDP socket this test owns, so the test is the caller's RTP (PCMU, 20 ms) and hears what the
 * engine plays; a WebSocket bot in the test (Exotel protocol) records everything. Checked:
 * - caller audio (a 1 kHz tone) reaches the bot as 1 kHz PCM (tone detection), and as exact µ-law decodes;
 * - bot audio (a 600 Hz tone) reaches the caller over RTP;
 * - the bot's mark is echoed only after its audio has played (time ≥ the audio's duration, every tone packet
 *   already sent);
 * - `clear` stops playback within about one frame, and the dropped mark is not echoed (Exotel);
 * - the bot closing the socket lets the flow continue: it hangs up, and SIPp answers the BYE;
 * - with `sample-rate 16000` the bot gets and sends 320-sample frames at 16 kHz (the engine resamples).
 * Ports 16240-16279 (a block of the 16200-16399 range) plus an ephemeral UDP port for the caller's RTP.
 */
import { createSocket, type Socket } from 'node:dgram';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import alawmulaw from 'alawmulaw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pcmToBase64 } from '../../src/bots/audio-codec.js';
import { startTestBot, type TestBot } from '../bots/bot-server.js';
import { portBlock } from './support/ports.js';
import { startServer, until, type TestServer } from './support/server.js';
import { runSipp } from './support/sipp.js';

const ports = portBlock(16240);
const RATE = 8000;

const FLOW = (url: string): string => `flow stream-media
  "e2e: media through a bot stream"

on call to "+15550300" -> talk
on call to "+15550316" -> wideband

state talk
  answer
  stream-to-websocket "${url}" protocol exotel params { test: "media" } max-duration 30s
    on closed -> after_bot
    on error -> done
    on timeout -> done
  -> done

state wideband
  answer
  stream-to-websocket "${url}" protocol exotel sample-rate 16000 max-duration 30s
    on closed -> after_bot
    on error -> done
    on timeout -> done
  -> done

state after_bot
  log "bot closed; flow continues"
  hangup reason "bot finished"

state done
  hangup
`;

/** SIPp does the signalling; the SDP names the test's RTP socket. The server ends the call with BYE. */
const SCENARIO = (rtpPort: number): string => `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="stream media uac">
  <send retrans="500"><![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=z9hG4bK-inv1-[call_number]-[pid];rport
      From: sipp <sip:+15550001@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=user1 53655765 2353687637 IN IP4 127.0.0.1
      s=-
      c=IN IP4 127.0.0.1
      t=0 0
      m=audio ${rtpPort} RTP/AVP 0 101
      a=rtpmap:0 PCMU/8000
      a=rtpmap:101 telephone-event/8000
      a=fmtp:101 0-16
      a=sendrecv
    ]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rrs="true"/>
  <send><![CDATA[
      ACK [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      From: sipp <sip:+15550001@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
      Content-Length: 0
    ]]></send>
  <recv request="BYE" timeout="30000"/>
  <send><![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]></send>
</scenario>
`;

/** Goertzel power of `f` Hz in `x` sampled at `rate`. */
function power(x: ArrayLike<number>, f: number, rate = RATE): number {
  const coeff = 2 * Math.cos((2 * Math.PI * f) / rate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < x.length; i++) {
    const s = (x[i] as number) + coeff * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

const rms = (x: ArrayLike<number>): number => Math.sqrt(Array.from(x).reduce((a, v) => a + v * v, 0) / Math.max(1, x.length));
/** A frame that clearly carries `f` and not `other`. */
const isTone = (x: ArrayLike<number>, f: number, other: number, rate = RATE): boolean => rms(x) > 500 && power(x, f, rate) > 20 * power(x, other, rate);
const tone = (f: number, n: number, start = 0, amp = 8000, rate = RATE): Int16Array => Int16Array.from({ length: n }, (_, i) => Math.round(amp * Math.sin((2 * Math.PI * f * (start + i)) / rate)));

/** The caller's RTP endpoint: sends PCMU frames, records what arrives (decoded, with arrival time). */
class Caller {
  readonly heard: Array<{ at: number; pcm: Int16Array }> = [];
  private seq = 1;
  private ts = 0;
  private remote: { address: string; port: number } | undefined;
  constructor(readonly sock: Socket) {
    sock.on('message', (msg, rinfo) => {
      this.remote ??= { address: rinfo.address, port: rinfo.port };
      const pt = (msg[1] ?? 0) & 0x7f;
      if (msg.length <= 12 || pt !== 0) return;
      this.heard.push({ at: performance.now(), pcm: alawmulaw.mulaw.decode(new Uint8Array(msg.subarray(12))) });
    });
  }
  get port(): number {
    return this.sock.address().port;
  }
  /** Where to send: the engine's RTP address, learnt from its first packet or given. */
  target(t: { address: string; port: number }): void {
    this.remote = t;
  }
  get knowsPeer(): boolean {
    return this.remote !== undefined;
  }
  send(payload: Uint8Array): void {
    if (!this.remote) return;
    const h = Buffer.alloc(12);
    h[0] = 0x80;
    h[1] = this.seq === 1 ? 0x80 : 0x00;
    h.writeUInt16BE(this.seq++ & 0xffff, 2);
    h.writeUInt32BE(this.ts, 4);
    this.ts += 160;
    h.writeUInt32BE(0x1234abcd, 8);
    this.sock.send(Buffer.concat([h, payload]), this.remote.port, this.remote.address);
  }
}

describe('stream-to-websocket media, measured at the caller and at the bot', () => {
  let srv: TestServer;
  let bot: TestBot;
  let caller: Caller;
  let dir: string;

  beforeAll(async () => {
    bot = await startTestBot();
    dir = mkdtempSync(join(tmpdir(), 'cf-stream-media-'));
    mkdirSync(join(dir, 'flows'));
    writeFileSync(join(dir, 'flows', 'stream-media.flow'), FLOW(bot.url));
    srv = await startServer({ flowsDir: join(dir, 'flows'), rtp: ports.rtp });
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    caller = new Caller(sock);
  });
  afterAll(async () => {
    await srv?.stop();
    await bot?.close();
    caller?.sock.close();
  });

  it('audio both ways, marks after playout, clear within a frame, and a bot close continues the flow', async () => {
    writeFileSync(join(dir, 'uac.xml'), SCENARIO(caller.port));
    const sipp = runSipp({ scenario: join(dir, 'uac.xml'), port: ports.sipp(0), mediaPort: ports.media(0), remote: srv.sipTarget, service: '+15550300', timeoutSec: 40 });
    const ws = await bot.nextSocket();
    const start = await bot.waitFor((m) => m.event === 'start', 10_000);
    expect(start).toMatchObject({ start: { from: '+15550001', custom_parameters: { test: 'media' } } });
    const sid = String(start.stream_sid);

    // The engine's RTP address: from the 200 OK's SDP we do not see here, so learn it from its first packet
    // (the engine sends silence or audio once answered); fall back to a short wait.
    await until(() => caller.knowsPeer, 'the first RTP packet from the engine', 5000);

    // Caller → bot: 1 s of a 1 kHz tone, paced at 20 ms.
    const said: Uint8Array[] = [];
    for (let i = 0; i < 50; i++) {
      const payload = alawmulaw.mulaw.encode(tone(1000, 160, i * 160));
      said.push(payload);
      caller.send(payload);
      await new Promise((r) => setTimeout(r, 20));
    }
    await until(() => bot.messages.filter((m) => m.event === 'media').length >= 45, 'caller audio at the bot', 5000);
    const frames = bot.messages.filter((m) => m.event === 'media').map((m) => {
      const b = Buffer.from(String((m.media as { payload: string }).payload), 'base64');
      return Int16Array.from({ length: b.length / 2 }, (_, i) => b.readInt16LE(i * 2));
    });
    expect(frames.every((f) => f.length === 160)).toBe(true);
    const toneFrames = frames.filter((f) => isTone(f, 1000, 600));
    expect(toneFrames.length).toBeGreaterThanOrEqual(40);
    // Intact, not just similar: every tone frame is exactly the µ-law decode of a frame the caller sent.
    const sent = new Set(said.map((p) => Array.from(alawmulaw.mulaw.decode(p)).join(',')));
    expect(toneFrames.filter((f) => sent.has(Array.from(f).join(','))).length).toBeGreaterThanOrEqual(40);

    // Bot → caller: 1 s of 600 Hz, then a mark. The mark must come back only once it has all been played.
    const heardBefore = caller.heard.length;
    const t0 = performance.now();
    ws.send(JSON.stringify({ event: 'media', stream_sid: sid, media: { payload: pcmToBase64(tone(600, 8000)) } }));
    ws.send(JSON.stringify({ event: 'mark', stream_sid: sid, mark: { name: 'one-second' } }));
    await bot.waitFor((m) => m.event === 'mark' && (m.mark as { name: string }).name === 'one-second', 10_000);
    const t1 = performance.now();
    expect(t1 - t0).toBeGreaterThanOrEqual(900);
    const played = caller.heard.slice(heardBefore).filter((h) => h.at <= t1 + 5 && isTone(h.pcm, 600, 1000));
    expect(played.length).toBeGreaterThanOrEqual(45);

    // Barge-in: 3 s queued, clear after ~500 ms; the tone stops within about a frame, the mark is dropped.
    const before = caller.heard.length;
    ws.send(JSON.stringify({ event: 'media', stream_sid: sid, media: { payload: pcmToBase64(tone(600, 24_000)) } }));
    ws.send(JSON.stringify({ event: 'mark', stream_sid: sid, mark: { name: 'dropped' } }));
    await until(() => caller.heard.slice(before).filter((h) => isTone(h.pcm, 600, 1000)).length >= 25, 'half a second of bot audio', 5000);
    const tClear = performance.now();
    ws.send(JSON.stringify({ event: 'clear', stream_sid: sid }));
    await new Promise((r) => setTimeout(r, 600));
    const after = caller.heard.slice(before);
    const lateTone = after.filter((h) => h.at > tClear + 50 && isTone(h.pcm, 600, 1000));
    expect(lateTone.length).toBeLessThanOrEqual(2);
    expect(after.filter((h) => isTone(h.pcm, 600, 1000)).length).toBeLessThan(60);
    expect(bot.messages.some((m) => m.event === 'mark' && (m.mark as { name: string }).name === 'dropped')).toBe(false);

    // The bot hangs up: the flow continues to after_bot and ends the call with a BYE SIPp answers.
    ws.close(1000, 'done');
    const result = await sipp.done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
    await srv.waitForLog((l) => JSON.stringify(l).includes('bot closed; flow continues'), 5000);
  });

  it('sample-rate 16000: the bot gets 20 ms frames of 320 samples at 16 kHz both ways, resampled by the engine', async () => {
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    const wide = new Caller(sock);
    try {
      writeFileSync(join(dir, 'uac16.xml'), SCENARIO(wide.port));
      const seen = bot.messages.length;
      const sipp = runSipp({ scenario: join(dir, 'uac16.xml'), port: ports.sipp(1), mediaPort: ports.media(1), remote: srv.sipTarget, service: '+15550316', timeoutSec: 40 });
      const ws = await bot.nextSocket();
      const start = await bot.waitFor((m) => m.event === 'start' && bot.messages.indexOf(m) >= seen, 10_000);
      expect(start).toMatchObject({ start: { media_format: { encoding: 'audio/x-raw', sample_rate: '16000', bit_rate: '16' } } });
      const sid = String(start.stream_sid);
      await until(() => wide.knowsPeer, 'the first RTP packet from the engine', 5000);
      for (let i = 0; i < 40; i++) {
        wide.send(alawmulaw.mulaw.encode(tone(1000, 160, i * 160)));
        await new Promise((r) => setTimeout(r, 20));
      }
      const mine = (): Array<Record<string, unknown>> => bot.messages.slice(seen).filter((m) => m.event === 'media' && m.stream_sid === sid);
      await until(() => mine().length >= 35, 'caller audio at the bot', 5000);
      const frames = mine().map((m) => {
        const b = Buffer.from(String((m.media as { payload: string }).payload), 'base64');
        return Int16Array.from({ length: b.length / 2 }, (_, i) => b.readInt16LE(i * 2));
      });
      expect(frames.every((f) => f.length === 320)).toBe(true);
      expect(frames.filter((f) => isTone(f, 1000, 600, 16000)).length).toBeGreaterThanOrEqual(25);

      const before = wide.heard.length;
      const t0 = performance.now();
      ws.send(JSON.stringify({ event: 'media', stream_sid: sid, media: { payload: pcmToBase64(tone(600, 16000, 0, 8000, 16000)) } }));
      ws.send(JSON.stringify({ event: 'mark', stream_sid: sid, mark: { name: 'wide' } }));
      await bot.waitFor((m) => m.event === 'mark' && m.stream_sid === sid, 10_000);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(900);
      expect(wide.heard.slice(before).filter((h) => isTone(h.pcm, 600, 1000)).length).toBeGreaterThanOrEqual(45);
      ws.close(1000, 'done');
      const result = await sipp.done;
      expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
    } finally {
      sock.close();
    }
  });
});
