import { describe, expect, it } from 'vitest';
import { writeTelephoneEvent } from '../dtmf/rfc4733.js';
import type { AudioInfo, DtmfEvent } from '../types.js';
import { buildRtp } from './packet.js';
import { RtpReceiver } from './receiver.js';
import { SeqTracker } from './seq-tracker.js';

function setup(): { rx: RtpReceiver; audio: AudioInfo[]; digits: DtmfEvent[]; learned: string[] } {
  const audio: AudioInfo[] = [];
  const digits: DtmfEvent[] = [];
  const learned: string[] = [];
  const rx = new RtpReceiver(
    {
      learned: (a, p) => learned.push(`${a}:${p}`),
      audio: (_pcm, info) => audio.push(info),
      rtp: () => undefined,
      dtmf: (d) => digits.push(d),
      wantsAudio: () => true,
      wantsRtp: () => false,
    },
    0,
  );
  rx.telephoneEventPt = 101;
  return { rx, audio, digits, learned };
}

const audioPkt = (seq: number, ssrc = 1, len = 160): Buffer =>
  buildRtp({ payloadType: 0, sequence: seq, timestamp: seq * 160, ssrc }, new Uint8Array(len).fill(0xff));

describe('SeqTracker', () => {
  it('classifies in-order, loss, late, duplicate, wrap and restart', () => {
    const t = new SeqTracker();
    expect(t.check(65534, false)).toBe('first');
    expect(t.check(65535, false)).toBe('in-order');
    expect(t.check(1, false)).toBe('in-order');
    expect(t.stats.lost).toBe(1);
    expect(t.check(0, false)).toBe('late');
    expect(t.stats.lost).toBe(0);
    expect(t.check(0, false)).toBe('duplicate');
    expect(t.check(1, false)).toBe('duplicate');
    expect(t.check(40000, false)).toBe('restart');
    expect(t.check(39990, true)).toBe('restart');
    expect(t.check(39991, false)).toBe('in-order');
  });
});

describe('RtpReceiver', () => {
  it('drops duplicate and late audio, keeps order of what it delivers', () => {
    const { rx, audio } = setup();
    for (const s of [10, 11, 13, 12, 13, 14]) rx.onDatagram(audioPkt(s), '127.0.0.1', 5000, 0, true);
    expect(audio.map((a) => a.seq)).toEqual([10, 11, 13, 14]);
    expect(rx.stats).toMatchObject({ late: 1, duplicates: 1, lost: 0 });
  });

  it('rechunks 30 ms packets into 20 ms frames', () => {
    const { rx, audio } = setup();
    for (let s = 0; s < 4; s++)
      rx.onDatagram(
        buildRtp({ payloadType: 0, sequence: s, timestamp: s * 240, ssrc: 1 }, new Uint8Array(240)),
        'h',
        1,
        0,
        true,
      );
    expect(audio.map((a) => a.ts)).toEqual([0, 160, 320, 480, 640, 800]);
  });

  it('latches the first SSRC, follows a restart from the same address, ignores strangers', () => {
    const { rx, audio, learned } = setup();
    rx.onDatagram(audioPkt(1, 1), '10.0.0.1', 4000, 0, true);
    rx.onDatagram(audioPkt(2, 2), '10.0.0.2', 4000, 10, true);
    rx.onDatagram(audioPkt(500, 3), '10.0.0.1', 4000, 20, true);
    rx.onDatagram(audioPkt(3, 1), '10.0.0.9', 4000, 30, true);
    expect(audio.map((a) => a.seq)).toEqual([1, 500]);
    expect(rx.stats).toMatchObject({ foreignSsrc: 2, ssrcChanges: 1 });
    // After the latched source has been silent for a second, another may take over.
    rx.onDatagram(audioPkt(7, 9), '10.0.0.7', 4002, 2000, true);
    expect(learned).toEqual(['10.0.0.1:4000', '10.0.0.7:4002']);
  });

  it("latchedAt: the latched source's last packet, already current when learned() reports a new address", () => {
    const seen: number[] = [];
    const rx = new RtpReceiver(
      {
        learned: () => seen.push(rx.latchedAt),
        audio: () => undefined,
        rtp: () => undefined,
        dtmf: () => undefined,
        wantsAudio: () => false,
        wantsRtp: () => false,
      },
      0,
    );
    expect(rx.latchedAt).toBe(-Infinity);
    rx.onDatagram(audioPkt(1, 1), '10.0.0.1', 4000, 100, true);
    rx.onDatagram(audioPkt(2, 2), '10.0.0.2', 4000, 150, true);
    expect(rx.latchedAt).toBe(100);
    // Silent for RELATCH_MS: another source takes over, and learned() already sees its packet's time.
    rx.onDatagram(audioPkt(3, 2), '10.0.0.2', 4000, 1100, true);
    expect(seen).toEqual([100, 1100]);
    rx.unlatch();
    expect(rx.latchedAt).toBe(-Infinity);
  });

  it('on hold (not receiving) learns the address but delivers nothing', () => {
    const { rx, audio, learned } = setup();
    rx.onDatagram(audioPkt(1), '10.0.0.1', 4000, 0, false);
    expect(audio).toEqual([]);
    expect(learned).toEqual(['10.0.0.1:4000']);
  });

  it('reports telephone-events regardless of sequence repeats (SIPp end ×3 share one seq)', () => {
    const { rx, digits } = setup();
    const ev = (seq: number, marker: boolean, end: boolean, dur: number): Buffer => {
      const p = new Uint8Array(4);
      writeTelephoneEvent(p, 0, { event: 11, end, volume: 10, duration: dur });
      return buildRtp({ payloadType: 101, marker, sequence: seq, timestamp: 8000, ssrc: 1 }, p);
    };
    rx.onDatagram(ev(1, true, false, 0), 'h', 1, 5, true);
    rx.onDatagram(ev(2, false, false, 400), 'h', 1, 55, true);
    for (let i = 0; i < 3; i++) rx.onDatagram(ev(3, false, true, 800), 'h', 1, 105, true);
    expect(digits).toEqual([{ digit: '#', durationMs: 100, at: 5, mode: 'rfc4733' }]);
  });
});

describe('RtpReceiver robustness', () => {
  it('never throws on arbitrary datagrams', async () => {
    const fc = await import('fast-check');
    const { rx } = setup();
    rx.setInband(true);
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 400 }),
        fc.boolean(),
        fc.boolean(),
        (bytes, rtpish, receiving) => {
          const b = Buffer.from(bytes);
          // Half the cases look like RTP v2 so the deeper paths (events, decode, rechunk) are reached.
          if (rtpish && b.length > 1) {
            b[0] = 0x80 | ((b[0] as number) & 0x3f);
            b[1] = ((b[1] as number) & 0x80) | [0, 8, 13, 101][(b[1] as number) & 3]!;
          }
          rx.onDatagram(b, '10.0.0.1', 4000, performance.now(), receiving);
          rx.poll(performance.now());
        },
      ),
      { numRuns: 3000 },
    );
    expect(
      rx.stats.packets + rx.stats.invalid + rx.stats.rtcp + rx.stats.badPayloadType + rx.stats.foreignSsrc,
    ).toBeGreaterThan(0);
  });
});
