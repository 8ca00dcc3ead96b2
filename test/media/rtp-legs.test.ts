/** Two (or four) real RTP legs on 127.0.0.1 exchanging audio and digits. Ports 40000-40199. */
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeInto, encode } from '../../src/engines/embedded/media/codec/g711.js';
import {
  createMediaEngine,
  type DtmfEvent,
  type EmbeddedMediaEngine,
  type UdpRtpLeg,
  type AudioInfo,
} from '../../src/engines/embedded/media/index.js';
import { buildRtp } from '../../src/engines/embedded/media/rtp/packet.js';
import { goertzel } from '../../src/engines/embedded/media/play/pcm.js';
import { sineFrame } from './support/fake-leg.js';
import { sleep, until } from './support/wait.js';

let engine: EmbeddedMediaEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

function start(): EmbeddedMediaEngine {
  engine = createMediaEngine({ portMin: 40000, portMax: 40199, localAddress: '127.0.0.1' });
  return engine;
}

async function pair(
  e: EmbeddedMediaEngine,
  opts: { te?: boolean; inband?: boolean; codec?: 'PCMU' | 'PCMA' } = {},
): Promise<[UdpRtpLeg, UdpRtpLeg]> {
  const te = opts.te === false ? undefined : 101;
  const a = await e.createLeg({ telephoneEventPt: te, inbandDtmf: opts.inband, codec: opts.codec });
  const b = await e.createLeg({ telephoneEventPt: te, inbandDtmf: opts.inband, codec: opts.codec });
  a.setRemote('127.0.0.1', b.localPort);
  b.setRemote('127.0.0.1', a.localPort);
  return [a, b];
}

/** A source of `n` sine frames, phase-continuous; remembers what it produced. */
function sineSource(freq: number, n: number): { next(): Int16Array | null; produced: Int16Array[] } {
  const produced: Int16Array[] = [];
  return {
    produced,
    next() {
      if (produced.length >= n) return null;
      const f = sineFrame(freq, produced.length * 160, 8000);
      produced.push(f);
      return f;
    },
  };
}

function collect(leg: UdpRtpLeg): { frames: Int16Array[]; infos: AudioInfo[]; digits: DtmfEvent[] } {
  const out = { frames: [] as Int16Array[], infos: [] as AudioInfo[], digits: [] as DtmfEvent[] };
  leg.on('audio', (pcm: Int16Array, info: AudioInfo) => {
    out.frames.push(pcm);
    out.infos.push(info);
  });
  leg.on('dtmf', (d: DtmfEvent) => out.digits.push(d));
  return out;
}

describe('RtpLeg over UDP', () => {
  it('carries PCM: decoded frames equal the G.711 round trip, contiguous timestamps, nothing lost', async () => {
    const e = start();
    const [a, b] = await pair(e);
    const rx = collect(b);
    const src = sineSource(440, 25);
    let ended = false;
    a.once('source-end', () => (ended = true));
    a.setSource(src);
    await until(() => ended, 'source end');
    await sleep(100);
    const voiced = rx.frames.map((f, i) => ({ f, i })).filter(({ f }) => f.some((s) => s !== 0));
    expect(voiced).toHaveLength(25);
    const first = voiced[0]!.i;
    for (let k = 0; k < 25; k++) {
      const got = rx.frames[first + k]!;
      const want = new Int16Array(160);
      decodeInto('PCMU', encode('PCMU', src.produced[k]!), want);
      expect(Array.from(got)).toEqual(Array.from(want));
      // G.711 error stays within a few percent of full scale at this level.
      for (let i = 0; i < 160; i++) expect(Math.abs(got[i]! - src.produced[k]![i]!)).toBeLessThan(400);
    }
    for (let i = 1; i < rx.infos.length; i++) expect((rx.infos[i]!.ts - rx.infos[i - 1]!.ts) >>> 0).toBe(160);
    const st = b.stats().received;
    expect(st.lost).toBe(0);
    expect(st.duplicates).toBe(0);
    expect(a.stats().sent.packets).toBeGreaterThanOrEqual(25);
  });

  it('keeps sending silence when idle (NAT keep-alive) and stops when put on hold', async () => {
    const e = start();
    const [a, b] = await pair(e);
    const rx = collect(b);
    await until(() => rx.frames.length >= 5, 'idle frames');
    expect(rx.frames.every((f) => f.every((s) => Math.abs(s) < 16))).toBe(true);
    a.setDirection('recvonly');
    await sleep(150);
    const n = rx.frames.length;
    await sleep(200);
    expect(rx.frames.length).toBe(n);
    a.setDirection('sendrecv');
    await until(() => rx.frames.length > n + 3, 'resumed frames');
  });

  it('a 1 kHz tone arrives with the right frequency and without gaps', async () => {
    const e = start();
    const [a, b] = await pair(e);
    const ep = e.endpoint(a);
    const rx = collect(b);
    const done = ep.tone({ freqs: [1000], totalMs: 400 });
    expect((await done).reason).toBe('done');
    await sleep(80);
    const voiced = rx.frames.map((f, i) => ({ f, i })).filter(({ f }) => f.some((s) => Math.abs(s) > 100));
    expect(voiced.length).toBe(20);
    expect(voiced[19]!.i - voiced[0]!.i).toBe(19);
    for (const { f } of voiced) {
      expect(goertzel(f, 1000)).toBeGreaterThan(0.003);
      expect(goertzel(f, 1000)).toBeGreaterThan(20 * goertzel(f, 700));
    }
  });

  it('RFC 4733 digits both ways, each reported once with its duration', async () => {
    const e = start();
    const [a, b] = await pair(e);
    const ra = collect(a);
    const rb = collect(b);
    await Promise.all([a.sendDtmf('123#', { durationMs: 120, gapMs: 60 }), b.sendDtmf('9*')]);
    await until(() => rb.digits.length >= 4 && ra.digits.length >= 2, 'digits');
    await sleep(100);
    expect(rb.digits.map((d) => d.digit).join('')).toBe('123#');
    expect(ra.digits.map((d) => d.digit).join('')).toBe('9*');
    for (const d of [...ra.digits, ...rb.digits]) expect(d.mode).toBe('rfc4733');
    for (const d of rb.digits) expect(d.durationMs).toBe(120);
    expect(rb.digits[1]!.at - rb.digits[0]!.at).toBeGreaterThan(80);
  });

  it('falls back to in-band DTMF without telephone-event; Goertzel detects it on the far leg', async () => {
    const e = start();
    const [a, b] = await pair(e, { te: false, inband: true });
    const rb = collect(b);
    await a.sendDtmf('4#0', { durationMs: 100, gapMs: 80 });
    await until(() => rb.digits.length >= 3, 'in-band digits');
    await sleep(100);
    expect(rb.digits.map((d) => [d.digit, d.mode])).toEqual([
      ['4', 'inband'],
      ['#', 'inband'],
      ['0', 'inband'],
    ]);
  });

  it('bridges two legs (PCMU ↔ PCMA): tone and digits from A reach D, and D reaches A', async () => {
    const e = start();
    const [a, b] = await pair(e);
    // The far side speaks A-law: the bridge transcodes.
    const [c, d] = await pair(e, { codec: 'PCMA' });
    expect(d.codec).toBe('PCMA');
    const eb = e.endpoint(b);
    const ec = e.endpoint(c);
    eb.bridge(ec);
    const ra = collect(a);
    const rd = collect(d);
    const ea = e.endpoint(a);
    const ed = e.endpoint(d);
    await Promise.all([ea.tone({ freqs: [800], totalMs: 300 }), ed.tone({ freqs: [1300], totalMs: 300 })]);
    await a.sendDtmf('7');
    await until(() => rd.digits.length >= 1, 'bridged digit');
    expect(rd.frames.some((f) => goertzel(f, 800) > 0.003)).toBe(true);
    expect(ra.frames.some((f) => goertzel(f, 1300) > 0.003)).toBe(true);
    expect(ra.frames.some((f) => goertzel(f, 800) > 0.003)).toBe(false);
    expect(rd.digits.map((x) => x.digit)).toEqual(['7']);
  });

  it('learns the peer address from its packets (symmetric RTP) and survives garbage', async () => {
    const e = start();
    // No RTCP: the peer's port + 1 is not ours to send to. Unconnected: a connected socket (the default once
    // latched) never hands the intruder's packet to the receiver, so foreignSsrc could not count it; the
    // connected variant is tested in src/engines/embedded/media/rtp/connected-send.test.ts.
    const a = await e.createLeg({ rtcpIntervalMs: 0, connectedSend: false });
    const peer = createSocket('udp4');
    await new Promise<void>((r) => peer.bind(0, '127.0.0.1', () => r()));
    const got: Buffer[] = [];
    peer.on('message', (m) => got.push(m));
    // A wrong remote from "SDP": the first packet from the peer corrects it.
    a.setRemote('127.0.0.1', 9);
    const send = (b: Uint8Array): Promise<void> =>
      new Promise((r) => peer.send(b, a.localPort, '127.0.0.1', () => r()));
    await send(Buffer.from('not rtp at all'));
    await send(Buffer.from([0x80, 0xc8, 0, 6, 1, 2, 3, 4, 5, 6, 7, 8]));
    await send(buildRtp({ payloadType: 96, sequence: 1, timestamp: 0, ssrc: 7 }, new Uint8Array(160)));
    await send(
      buildRtp({ payloadType: 0, sequence: 2, timestamp: 160, ssrc: 7 }, new Uint8Array(160).fill(0xff)),
    );
    await until(() => got.length >= 3, 'packets at the learned address');
    const st = a.stats().received;
    expect(st.invalid).toBe(1);
    expect(st.rtcp).toBe(1);
    expect(st.badPayloadType).toBe(1);
    expect(st.packets).toBe(1);
    expect(a.remoteAddress?.port).toBe((peer.address() as { port: number }).port);
    // Another SSRC from another address is ignored while the latched source is alive.
    const intruder = createSocket('udp4');
    await new Promise<void>((r) => intruder.bind(0, '127.0.0.1', () => r()));
    await new Promise<void>((r) =>
      intruder.send(
        buildRtp({ payloadType: 0, sequence: 9, timestamp: 0, ssrc: 99 }, new Uint8Array(160)),
        a.localPort,
        '127.0.0.1',
        () => r(),
      ),
    );
    await until(() => a.stats().received.foreignSsrc === 1, 'foreign packet counted');
    expect(a.remoteAddress?.port).toBe((peer.address() as { port: number }).port);
    peer.close();
    intruder.close();
  });

  it('raises media-timeout when nothing arrives', async () => {
    const e = start();
    const a = await e.createLeg({ mediaTimeoutMs: 300 });
    const t0 = Date.now();
    await new Promise<void>((r) => a.once('media-timeout', () => r()));
    const dt = Date.now() - t0;
    expect(dt).toBeGreaterThan(250);
    expect(dt).toBeLessThan(3000);
  });

  it('records what a leg receives: a WAV of the requested length', async () => {
    const e = start();
    const [a, b] = await pair(e);
    const dir = mkdtempSync(join(tmpdir(), 'media-rec-'));
    try {
      const file = join(dir, 'rec.wav');
      void e.endpoint(a).tone({ freqs: [700], totalMs: 2000 });
      const r = await e.endpoint(b).record(file, { maxDurationMs: 600 });
      expect(r.reason).toBe('max-duration');
      const wav = readFileSync(file);
      // 44-byte header + 16-bit mono 8 kHz samples.
      const ms = ((wav.length - 44) / 2 / 8000) * 1000;
      expect(ms).toBeGreaterThanOrEqual(580);
      expect(ms).toBeLessThanOrEqual(620);
      const pcm = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.length));
      expect(goertzel(pcm.subarray(800, 2400), 700)).toBeGreaterThan(0.003);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends RTCP SR/RR to port + 1 and counts what the peer sends', async () => {
    const e = start();
    const a = await e.createLeg({ rtcpIntervalMs: 100 });
    const b = await e.createLeg({ rtcpIntervalMs: 100 });
    a.setRemote('127.0.0.1', b.localPort);
    b.setRemote('127.0.0.1', a.localPort);
    await until(() => a.stats().received.rtcp >= 2 && b.stats().received.rtcp >= 2, 'RTCP both ways');
    expect(a.stats().sent.rtcpPackets).toBeGreaterThanOrEqual(2);
    expect(a.stats().received.invalid).toBe(0);
  });

  it('returns ports to the pool on close', async () => {
    const e = start();
    const [a, b] = await pair(e);
    expect(e.stats().portsInUse).toBe(2);
    a.close();
    b.close();
    expect(e.stats().portsInUse).toBe(0);
    expect(e.stats().legs).toBe(0);
  });
});
