import { describe, expect, it } from 'vitest';
import { TimerWheel } from '../timer-wheel.js';
import { InviteClientTransaction, NonInviteClientTransaction } from './client.js';
import { InviteServerTransaction, NonInviteServerTransaction } from './server.js';
import type { TxContext } from './timers.js';

function setup() {
  let now = 0;
  const wheel = new TimerWheel({ tickMs: 10, now: () => now, autoDrive: false });
  const ctx: TxContext = { wheel, timers: { t1: 500, t2: 4000, t4: 5000, d: 32_000, trying: 200 } };
  const sent: { at: number; what: string }[] = [];
  const advance = async (ms: number) => {
    for (let i = 0; i < ms; i += 10) {
      now += 10;
      wheel.advanceTo(now);
    }
    await Promise.resolve();
  };
  return { ctx, sent, advance, now: () => now };
}

describe('INVITE client transaction', () => {
  it('retransmits at T1, 2T1, 4T1 … and times out at 64·T1 (Timer A, B)', async () => {
    const { ctx, sent, advance, now } = setup();
    const failures: string[] = [];
    let gone = false;
    new InviteClientTransaction<string>(
      'k',
      ctx,
      Buffer.from('INVITE'),
      false,
      { send: () => sent.push({ at: now(), what: 'INVITE' }) },
      { onResponse: () => undefined, onFailure: (k) => failures.push(k) },
      () => (gone = true),
    );
    await advance(64 * 500 + 20);
    expect(sent.map((s) => s.at)).toEqual([0, 500, 1500, 3500, 7500, 15500, 31500]);
    expect(failures).toEqual(['timeout']);
    expect(gone).toBe(true);
  });

  it('stops retransmitting on 1xx, ACKs a non-2xx itself and absorbs its retransmission', async () => {
    const { ctx, sent, advance, now } = setup();
    const seen: number[] = [];
    const tx = new InviteClientTransaction<string>(
      'k',
      ctx,
      Buffer.from('INVITE'),
      false,
      { send: (b) => sent.push({ at: now(), what: b.toString() }), buildAck: () => Buffer.from('ACK') },
      { onResponse: (_r, s) => seen.push(s), onFailure: () => undefined },
      () => undefined,
    );
    tx.receive('180', 180);
    await advance(2000);
    expect(sent.map((s) => s.what)).toEqual(['INVITE']);
    tx.receive('486', 486);
    tx.receive('486', 486);
    expect(seen).toEqual([180, 486]);
    expect(sent.map((s) => s.what)).toEqual(['INVITE', 'ACK', 'ACK']);
    expect(tx.state).toBe('completed');
    await advance(32_010);
    expect(tx.state).toBe('terminated');
  });

  it('enters Accepted on 2xx and passes retransmitted 2xx up (RFC 6026)', async () => {
    const { ctx, advance } = setup();
    const seen: number[] = [];
    const tx = new InviteClientTransaction<string>(
      'k',
      ctx,
      Buffer.from('INVITE'),
      true,
      { send: () => undefined },
      { onResponse: (_r, s) => seen.push(s), onFailure: () => undefined },
      () => undefined,
    );
    tx.receive('200', 200);
    tx.receive('200', 200);
    expect(tx.state).toBe('accepted');
    expect(seen).toEqual([200, 200]);
    await advance(64 * 500 + 20);
    expect(tx.state).toBe('terminated');
  });
});

describe('non-INVITE client transaction', () => {
  it('retransmits doubling up to T2 (Timer E) and fails at Timer F', async () => {
    const { ctx, sent, advance, now } = setup();
    const failures: string[] = [];
    new NonInviteClientTransaction<string>(
      'k',
      ctx,
      Buffer.from('BYE'),
      false,
      { send: () => sent.push({ at: now(), what: 'BYE' }) },
      { onResponse: () => undefined, onFailure: (k) => failures.push(k) },
      () => undefined,
    );
    await advance(64 * 500 + 20);
    const gaps = sent.slice(1).map((s, i) => s.at - sent[i]!.at);
    expect(gaps.slice(0, 5)).toEqual([500, 1000, 2000, 4000, 4000]);
    expect(failures).toEqual(['timeout']);
  });

  it('does not retransmit on a reliable transport and terminates at once after the final response', async () => {
    const { ctx, sent, advance, now } = setup();
    const tx = new NonInviteClientTransaction<string>(
      'k',
      ctx,
      Buffer.from('BYE'),
      true,
      { send: () => sent.push({ at: now(), what: 'BYE' }) },
      { onResponse: () => undefined, onFailure: () => undefined },
      () => undefined,
    );
    await advance(5000);
    expect(sent).toHaveLength(1);
    tx.receive('200', 200);
    await Promise.resolve();
    expect(tx.state).toBe('terminated');
  });
});

describe('INVITE server transaction', () => {
  it('sends 100 Trying after 200 ms and retransmits a non-2xx final (Timer G) until ACK', async () => {
    const { ctx, sent, advance, now } = setup();
    const tx = new InviteServerTransaction(
      'k',
      ctx,
      false,
      { send: (b) => sent.push({ at: now(), what: b.toString() }), buildTrying: () => Buffer.from('100') },
      () => undefined,
    );
    await advance(200);
    expect(sent).toEqual([{ at: 200, what: '100' }]);
    tx.retransmission();
    expect(sent).toHaveLength(2);
    tx.respond(486, Buffer.from('486'));
    await advance(1600);
    expect(sent.filter((s) => s.what === '486').map((s) => s.at)).toEqual([200, 700, 1700]);
    tx.ack();
    expect(tx.state).toBe('confirmed');
    await advance(5010);
    expect(tx.state).toBe('terminated');
  });

  it('gives up at Timer H without an ACK', async () => {
    const { ctx, advance } = setup();
    let noAck = false;
    const tx = new InviteServerTransaction('k', ctx, true, { send: () => undefined, onNoAck: () => (noAck = true) }, () => undefined);
    tx.respond(603, Buffer.from('603'));
    await advance(64 * 500 + 20);
    expect(noAck).toBe(true);
    expect(tx.state).toBe('terminated');
  });

  it('absorbs INVITE retransmissions in Accepted (RFC 6026)', () => {
    const { ctx, sent, now } = setup();
    const tx = new InviteServerTransaction('k', ctx, false, { send: (b) => sent.push({ at: now(), what: b.toString() }) }, () => undefined);
    tx.respond(200, Buffer.from('200'));
    tx.retransmission();
    expect(tx.state).toBe('accepted');
    expect(sent).toHaveLength(1);
  });

  it('calls onFinal once on the final response and never builds a Trying afterwards', async () => {
    const { ctx, sent, advance, now } = setup();
    let finals = 0;
    let tryings = 0;
    const hooks = {
      send: (b: Buffer) => sent.push({ at: now(), what: b.toString() }),
      buildTrying: () => (tryings++, Buffer.from('100')),
      onFinal: () => finals++,
    };
    const tx = new InviteServerTransaction('k', ctx, false, hooks, () => undefined);
    tx.respond(180, Buffer.from('180'));
    expect(finals).toBe(0);
    tx.respond(200, Buffer.from('200'));
    tx.respond(200, Buffer.from('200'));
    await advance(400);
    tx.terminate();
    expect(finals).toBe(1);
    expect(tryings).toBe(0);
    expect(sent.map((s) => s.what)).toEqual(['180', '200', '200']);
  });

  it('calls onFinal when terminated while still proceeding', () => {
    const { ctx } = setup();
    let finals = 0;
    const tx = new InviteServerTransaction('k', ctx, false, { send: () => undefined, onFinal: () => finals++ }, () => undefined);
    tx.terminate();
    tx.terminate();
    expect(finals).toBe(1);
  });
});

describe('non-INVITE server transaction', () => {
  it('answers retransmissions with the last response and ends after Timer J', async () => {
    const { ctx, sent, advance, now } = setup();
    const tx = new NonInviteServerTransaction('k', ctx, false, { send: (b) => sent.push({ at: now(), what: b.toString() }) }, () => undefined);
    tx.retransmission();
    expect(sent).toHaveLength(0);
    tx.respond(200, Buffer.from('200'));
    tx.retransmission();
    expect(sent).toHaveLength(2);
    await advance(64 * 500 + 20);
    expect(tx.state).toBe('terminated');
  });
});
