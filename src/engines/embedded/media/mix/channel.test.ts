import { describe, expect, it } from 'vitest';
import { FakeLeg, concat, sineFrame } from '../../../../../test/media/support/fake-leg.js';
import { goertzel } from '../play/pcm.js';
import { ChannelRegistry } from './registry.js';

/** Run `rounds` pacer rounds: every leg receives its tone frame, then every leg is pulled. */
function run(legs: FakeLeg[], freqs: number[], rounds: number): Int16Array[][] {
  const heard: Int16Array[][] = legs.map(() => []);
  for (let r = 0; r < rounds; r++) {
    legs.forEach((l, i) => l.receive(sineFrame(freqs[i] as number, r * 160, 6000)));
    legs.forEach((l, i) => {
      const f = l.pull();
      if (f) heard[i]?.push(f.slice());
    });
  }
  return heard;
}

describe('Channel mixing', () => {
  it('each member hears everyone but itself', () => {
    const reg = new ChannelRegistry();
    const legs = [new FakeLeg(), new FakeLeg(), new FakeLeg()];
    for (const l of legs) reg.join('room', l);
    const freqs = [500, 1100, 1700];
    const heard = run(legs, freqs, 30).map((fs) => concat(fs.slice(5)));
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const p = goertzel(heard[i] as Int16Array, freqs[j] as number);
        if (i === j) expect(p).toBeLessThan(1e-5);
        else expect(p).toBeGreaterThan(0.005);
      }
    }
  });

  it('saturates instead of wrapping', () => {
    const reg = new ChannelRegistry();
    const legs = [new FakeLeg(), new FakeLeg(), new FakeLeg()];
    for (const l of legs) reg.join('loud', l);
    for (let r = 0; r < 3; r++) {
      for (const l of legs) l.receive(new Int16Array(160).fill(30000));
      for (const l of legs) l.pull();
    }
    const last = legs[0]?.sent.at(-1) as Int16Array;
    expect(last[0]).toBe(32767);
  });

  it('mute removes a member from the others, unmute restores it', () => {
    const reg = new ChannelRegistry();
    const [a, b] = [new FakeLeg(), new FakeLeg()];
    const ma = reg.join('m', a);
    reg.join('m', b, { muted: false });
    reg.mute(ma);
    const muted = run([a, b], [600, 900], 10);
    expect(goertzel(concat((muted[1] as Int16Array[]).slice(3)), 600)).toBeLessThan(1e-6);
    reg.unmute(ma);
    const open = run([a, b], [600, 900], 10);
    expect(goertzel(concat((open[1] as Int16Array[]).slice(3)), 600)).toBeGreaterThan(0.005);
  });

  it('join and leave mid-call; the channel is deleted with its last member; events fire', () => {
    const reg = new ChannelRegistry();
    const events: string[] = [];
    reg.on('channel-created', (n: string) => events.push(`created:${n}`));
    reg.on('channel-deleted', (n: string) => events.push(`deleted:${n}`));
    reg.on('member-joined', (n: string) => events.push(`joined:${n}`));
    reg.on('member-left', (n: string, _m: unknown, r: string) => events.push(`left:${n}:${r}`));
    const [a, b, c] = [new FakeLeg(), new FakeLeg(), new FakeLeg()];
    const ma = reg.join('x', a);
    reg.join('x', b);
    run([a, b], [500, 800], 5);
    reg.join('x', c);
    const heard = run([a, b, c], [500, 800, 1300], 10);
    expect(goertzel(concat((heard[2] as Int16Array[]).slice(3)), 500)).toBeGreaterThan(0.005);
    reg.leave(ma);
    expect(a.source).toBeNull();
    const after = run([b, c], [800, 1300], 10);
    expect(goertzel(concat((after[1] as Int16Array[]).slice(3)), 500)).toBeLessThan(1e-6);
    b.close();
    expect(reg.get('x')?.members.size).toBe(1);
    expect(reg.kick('x')).toBe(1);
    expect(reg.get('x')).toBeUndefined();
    expect(reg.names()).toEqual([]);
    expect(events).toEqual(['created:x', 'joined:x', 'joined:x', 'joined:x', 'left:x:left', 'left:x:ended', 'left:x:kicked', 'deleted:x']);
  });

  it('mixes once per round however many members pull', () => {
    const reg = new ChannelRegistry();
    const legs = [new FakeLeg(), new FakeLeg(), new FakeLeg(), new FakeLeg()];
    for (const l of legs) reg.join('r', l);
    run(legs, [400, 500, 600, 700], 20);
    const rounds = reg.get('r')?.rounds ?? 0;
    expect(rounds).toBeGreaterThanOrEqual(19);
    expect(rounds).toBeLessThanOrEqual(20);
  });
});
