import { describe, expect, it } from 'vitest';
import {
  TelephoneEventReceiver,
  parseTelephoneEvent,
  writeTelephoneEvent,
  type ReceivedDigit,
} from './rfc4733.js';
import { MUTE, TelephoneEventSender, type EventPacket } from './te-sender.js';

function pl(event: number, end: boolean, duration: number): Uint8Array {
  const b = new Uint8Array(4);
  writeTelephoneEvent(b, 0, { event, end, volume: 10, duration });
  return b;
}

function recv(): { rx: TelephoneEventReceiver; got: ReceivedDigit[] } {
  const got: ReceivedDigit[] = [];
  return { rx: new TelephoneEventReceiver((d) => got.push(d)), got };
}

/** Feed the packets of SIPp's dtmf_2833_<d>.pcap shape: marker start, updates, end ×3, one timestamp. */
function sippDigit(rx: TelephoneEventReceiver, ev: number, ts: number, now: number): void {
  rx.onPacket(ts, true, pl(ev, false, 0), now);
  for (let d = 320; d <= 1920; d += 320) rx.onPacket(ts, false, pl(ev, false, d), now);
  for (let i = 0; i < 3; i++) rx.onPacket(ts, false, pl(ev, true, 2240), now);
}

describe('telephone-event payload', () => {
  it('round-trips', () => {
    expect(parseTelephoneEvent(pl(11, true, 800))).toEqual({
      event: 11,
      end: true,
      volume: 10,
      duration: 800,
    });
    expect(parseTelephoneEvent(new Uint8Array(3))).toBeNull();
  });
});

describe('TelephoneEventReceiver', () => {
  it('reports an event once despite the triple end packet', () => {
    const { rx, got } = recv();
    sippDigit(rx, 1, 13280, 0);
    expect(got).toEqual([{ digit: '1', durationMs: 280, at: 0 }]);
  });

  it('a replay with the same timestamp and a marker is a new digit', () => {
    const { rx, got } = recv();
    sippDigit(rx, 5, 43200, 0);
    sippDigit(rx, 5, 43200, 500);
    expect(got.map((d) => [d.digit, d.at])).toEqual([
      ['5', 0],
      ['5', 500],
    ]);
  });

  it('a late end packet of an older event is ignored', () => {
    const { rx, got } = recv();
    sippDigit(rx, 1, 1000, 0);
    sippDigit(rx, 2, 5000, 10);
    rx.onPacket(1000, false, pl(1, true, 2240), 20);
    expect(got.map((d) => d.digit)).toEqual(['1', '2']);
  });

  it('lost start and lost end packets still give one report each', () => {
    const { rx, got } = recv();
    rx.onPacket(100, false, pl(3, false, 320), 0);
    rx.onPacket(100, false, pl(3, false, 640), 20);
    rx.onPacket(900, true, pl(4, false, 0), 200);
    rx.onPacket(900, false, pl(4, false, 400), 250);
    rx.poll(1000);
    expect(got.map((d) => d.digit)).toEqual(['3']);
    rx.poll(1300);
    expect(got.map((d) => [d.digit, d.durationMs])).toEqual([
      ['3', 80],
      ['4', 50],
    ]);
  });

  it('a long event continues under a new timestamp (RFC 4733 §2.5.1)', () => {
    const { rx, got } = recv();
    rx.onPacket(0, true, pl(9, false, 0), 0);
    rx.onPacket(0, false, pl(9, false, 0xffff), 10);
    rx.onPacket(0xffff, false, pl(9, false, 800), 20);
    rx.onPacket(0xffff, false, pl(9, true, 8000), 30);
    expect(got).toEqual([{ digit: '9', durationMs: Math.round(((0xffff + 8000) * 1000) / 8000), at: 0 }]);
  });
});

describe('TelephoneEventSender', () => {
  it('marker first, ~50 ms updates, end ×3, then a gap, one timestamp per event', async () => {
    const tx = new TelephoneEventSender();
    const done = tx.send('12', { durationMs: 200, gapMs: 40 });
    const out: (EventPacket | 'mute' | null)[] = [];
    let ts = 1000;
    for (let i = 0; i < 40 && !tx.idle; i++, ts += 160) out.push(tx.tick(ts));
    await done;
    const pkts = out.filter((p): p is EventPacket => p !== null && p !== MUTE);
    const first = pkts.filter((p) => p.payload.event === 1);
    expect(first[0]?.marker).toBe(true);
    expect(first.slice(1).every((p) => !p.marker)).toBe(true);
    expect(new Set(first.map((p) => p.ts))).toEqual(new Set([1000]));
    expect(first.filter((p) => p.payload.end)).toHaveLength(3);
    expect(first.filter((p) => p.payload.end).every((p) => p.payload.duration === 1600)).toBe(true);
    // 200 ms: start + updates at ~60,100,160 ms (+ends): 3-4 updates, never one per 20 ms tick.
    const updates = first.filter((p) => !p.marker && !p.payload.end).length;
    expect(updates).toBeGreaterThanOrEqual(2);
    expect(updates).toBeLessThanOrEqual(4);
    const second = pkts.filter((p) => p.payload.event === 2);
    expect(second[0]?.marker).toBe(true);
    expect(second[0]!.ts).toBeGreaterThan(1000 + 1600);

    // The receiver reports what the sender produced, once per digit.
    const { rx, got } = recv();
    for (const p of pkts)
      rx.onPacket(p.ts, p.marker, pl(p.payload.event, p.payload.end, p.payload.duration), 0);
    expect(got.map((d) => [d.digit, d.durationMs])).toEqual([
      ['1', 200],
      ['2', 200],
    ]);
  });

  it('clear resolves pending sends', async () => {
    const tx = new TelephoneEventSender();
    const p = tx.send('999');
    tx.tick(0);
    tx.clear();
    await p;
    expect(tx.idle).toBe(true);
  });
});
