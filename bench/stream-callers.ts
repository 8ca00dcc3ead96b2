/**
 * The bench's "callers": one UDP socket each, sending a pre-built 20 ms PCMU packet every 20 ms on the same
 * slotted pacer our engine uses (PacerGroup), with only the RTP sequence, timestamp and send-time stamp
 * rewritten per packet, and receiving our RTP without decoding it (only the packet after a pending bot
 * chunk is looked at). Much lighter than a second media engine, so the measuring apparatus takes as little
 * of the machine's 2 cores as possible away from the process under test.
 */
import { createSocket, type Socket } from 'node:dgram';
import alawmulaw from 'alawmulaw';
import { PacerGroup } from '../src/engines/embedded/media/clock/pacer-group.js';
import { monoMs } from './stream-peer-proto.js';

/** Bits of send time (µs, CLOCK_MONOTONIC, modulo 2^40: 12 days) carried by each caller frame. */
const STAMP_BITS = 40;
const STAMP_MOD = 2 ** STAMP_BITS;
/** Samples after the stamp holding a fixed +/- pattern, so a frame the engine concealed or faded is not misread. */
const CHECK_SAMPLES = 8;
const LEVEL = 5000;
/** Base64 characters covering the stamp and check samples in the bot's 16-bit PCM (3 bytes per 4 characters). */
export const STAMP_B64 = (4 * 2 * (STAMP_BITS + CHECK_SAMPLES)) / 3;
const HDR = 12;
const SAMPLES = 160;
const PT_PCMU = 0;

const enc = (s: number): number => alawmulaw.mulaw.encodeSample(s);
const HI = enc(LEVEL);
const LO = enc(-LEVEL);
/** The caller's voice: a 440 Hz tone, as PCMU. */
const TONE = Uint8Array.from({ length: SAMPLES }, (_, i) => enc(Math.round(6000 * Math.sin((2 * Math.PI * 440 * i) / 8000))));
/** µ-law code → |sample|, to tell the bot's tone from our silence without decoding whole packets. */
const ABS = Int16Array.from({ length: 256 }, (_, c) => Math.abs(alawmulaw.mulaw.decodeSample(c)));

/**
 * The send time (monotonic ms) carried by a caller frame, given its samples; NaN if absent. One bit per sample
 * in the sign of samples 0..39 (±5000 keeps its sign through G.711), then a check pattern.
 */
function stampOf(n: number, sample: (k: number) => number, nowMs: number): number {
  if (n < STAMP_BITS + CHECK_SAMPLES) return NaN;
  for (let b = 0; b < STAMP_BITS + CHECK_SAMPLES; b++) {
    const v = sample(b);
    if (Math.abs(Math.abs(v) - LEVEL) > LEVEL / 10) return NaN;
    if (b >= STAMP_BITS && v > 0 !== ((b - STAMP_BITS) % 2 === 0)) return NaN;
  }
  let t = 0;
  for (let b = STAMP_BITS - 1; b >= 0; b--) t = t * 2 + (sample(b) > 0 ? 1 : 0);
  const nowUs = Math.floor(nowMs * 1000);
  const base = nowUs - (nowUs % STAMP_MOD);
  const us = base + t > nowUs ? base + t - STAMP_MOD : base + t;
  return us / 1000;
}

/** The send time in the bot's copy of a caller frame (16-bit LE PCM bytes); NaN if absent. */
export const readStamp = (pcm: Buffer, nowMs: number): number => stampOf(pcm.length >> 1, (k) => pcm.readInt16LE(2 * k), nowMs);

/** The send time in a caller frame as our tap hands it out (decoded samples); NaN if absent. */
export const readStampPcm = (pcm: Int16Array, nowMs: number): number => stampOf(pcm.length, (k) => pcm[k] as number, nowMs);

/** True when a PCMU packet carries the bot's tone rather than silence. */
function loud(pkt: Buffer): boolean {
  let e = 0;
  let n = 0;
  for (let i = HDR; i < pkt.length; i += 8, n++) e += ABS[pkt[i] as number] as number;
  return n > 0 && e / n > 1000;
}

/** One caller. */
class Caller {
  private buf = Buffer.alloc(HDR + SAMPLES);
  private seq = 0;
  private ts = 0;
  private remotePort = 0;
  constructor(
    readonly socket: Socket,
    private readonly ssrc: number,
  ) {
    this.fill(this.buf);
  }

  setRemote(port: number): void {
    this.remotePort = port;
    this.socket.connect(port, '127.0.0.1');
  }

  tick(): void {
    if (this.remotePort === 0) return;
    const b = this.buf;
    b.writeUInt16BE(this.seq, 2);
    b.writeUInt32BE(this.ts, 4);
    this.seq = (this.seq + 1) & 0xffff;
    this.ts = (this.ts + SAMPLES) >>> 0;
    let t = Math.floor(monoMs() * 1000) % STAMP_MOD;
    for (let i = 0; i < STAMP_BITS; i++, t = Math.floor(t / 2)) b[HDR + i] = t % 2 === 1 ? HI : LO;
    try {
      this.socket.send(b);
      // Loopback takes the datagram at once; only a queued send still holds the buffer.
      if (this.socket.getSendQueueCount() > 0) this.fill((this.buf = Buffer.alloc(HDR + SAMPLES)));
    } catch {
      // A closed socket at the end of a run.
    }
  }

  private fill(b: Buffer): void {
    b[0] = 0x80;
    b[1] = PT_PCMU;
    b.writeUInt32BE(this.ssrc, 8);
    b.set(TONE, HDR);
    for (let c = 0; c < CHECK_SAMPLES; c++) b[HDR + STAMP_BITS + c] = c % 2 === 0 ? HI : LO;
  }
}

/** N callers on ports from `portMin`; `onLoud(i, perfMs)` gets every packet from us that carries the bot's tone. */
export async function createCallers(count: number, portMin: number, onLoud: (i: number, arrival: number) => void, wantLoud: (i: number) => boolean) {
  const callers: Caller[] = [];
  let port = portMin;
  for (let i = 0; i < count; i++) {
    let socket: Socket | undefined;
    for (let tries = 0; !socket && tries < 50; tries++, port++) {
      const s = createSocket('udp4');
      socket = await new Promise<Socket | undefined>((resolve) => {
        s.once('error', () => {
          s.close();
          resolve(undefined);
        });
        s.bind(port, '127.0.0.1', () => resolve(s));
      });
    }
    if (!socket) throw new Error(`bench callers: no free UDP port from ${portMin}`);
    socket.on('error', () => undefined);
    socket.on('message', (msg) => {
      if (wantLoud(i) && loud(msg)) onLoud(i, performance.now());
    });
    callers.push(new Caller(socket, 0x1000 + i));
  }
  const pacer = new PacerGroup();
  return {
    ports: callers.map((c) => c.socket.address().port),
    setRemotes: (ports: number[]): void => ports.forEach((p, i) => callers[i]?.setRemote(p)),
    start: (): void => callers.forEach((c) => pacer.add(c)),
    close: (): void => {
      pacer.stop();
      for (const c of callers) {
        try {
          c.socket.close();
        } catch {
          // Already closed.
        }
      }
    },
  };
}
