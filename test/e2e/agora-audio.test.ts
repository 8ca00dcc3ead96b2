/**
 * Two callers in one Agora-gateway channel hear each other. Both dial inboundsip addresses for the same
 * channel from a second embedded engine (a real SIP UAC with RTP); caller A sends a 1 kHz tone, caller B a
 * 600 Hz tone, and each must receive the other's tone (Goertzel power well above a control frequency).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedEngine, type EmbeddedEngine } from '../../src/engines/embedded/index.js';
import type { CallLeg } from '../../src/ports/index.js';
import { portBlock } from './support/ports.js';
import { startServer, until, type TestServer } from './support/server.js';

const FLOWS = fileURLToPath(new URL('../../flows/agora', import.meta.url));
const ports = portBlock(16040);
const SIP_PORT = 16101;
/** RTP ports of the test's own phones (a second engine), outside the server's block. */
const PHONE_RTP = { min: 16080, max: 16099 };
const BASIC = `Basic ${Buffer.from('test:secret').toString('base64')}`;

/** Power of `freq` in `pcm` (Goertzel), normalised by length. */
function power(pcm: Int16Array, freq: number, rate = 8000): number {
  const k = 2 * Math.cos((2 * Math.PI * freq) / rate);
  let s1 = 0;
  let s2 = 0;
  for (const x of pcm) {
    const s = x + k * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  return (s1 * s1 + s2 * s2 - k * s1 * s2) / Math.max(1, pcm.length);
}

function sine(freq: number, ms: number, rate = 8000): Int16Array {
  const out = new Int16Array((rate * ms) / 1000);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(8000 * Math.sin((2 * Math.PI * freq * i) / rate));
  return out;
}

describe('bundled flow agora-pstn: a channel mixes its callers', () => {
  let srv: TestServer;
  let phones: EmbeddedEngine;
  const legs: CallLeg[] = [];

  beforeAll(async () => {
    srv = await startServer({
      flowsDir: FLOWS,
      rtp: ports.rtp,
      config: {
        sip: { host: '127.0.0.1', port: SIP_PORT, transports: ['udp'] },
        flowConfig: { 'agora-pstn': { sip_address: `127.0.0.1:${SIP_PORT}`, prompt_joining: 'Hi.' } },
      },
    });
    phones = createEmbeddedEngine({ sip: { host: '127.0.0.1', port: 0, transports: ['udp'] }, rtp: { address: '127.0.0.1', portMin: PHONE_RTP.min, portMax: PHONE_RTP.max } });
    await phones.start();
  });
  afterAll(async () => {
    for (const l of legs) await l.hangup().catch(() => undefined);
    await phones?.stop(0);
    await srv?.stop();
  });

  it('caller A hears caller B and B hears A', async () => {
    const uris: string[] = [];
    for (const uid of ['1', '2']) {
      const res = await srv.api('POST', '/v1/api/pstn', { action: 'inboundsip', appid: 'app-audio', uid, channel: 'room', region: 'AREA_CODE_NA' }, { authorization: BASIC });
      expect(res.status).toBe(200);
      uris.push(String(res.body.sip));
    }
    for (const uri of uris) {
      const r = await phones.calls.dial({ to: uri, from: 'sip:tester@127.0.0.1', timeoutMs: 10_000 });
      expect(r.outcome, r.outcome === 'answered' ? '' : JSON.stringify(r)).toBe('answered');
      if (r.outcome === 'answered') legs.push(r.leg);
    }
    await until(async () => {
      const calls = ((await srv.api('GET', '/v1/calls')).body.calls ?? []) as Array<{ state?: string; step?: string }>;
      return calls.filter((c) => c.state === 'join' && c.step === 'bridge-to-channel').length === 2;
    }, 'both callers in the channel', 15_000);
    const [a, b] = legs as [CallLeg, CallLeg];
    const tapA = phones.media.tap(a, { sampleRate: 8000 });
    const tapB = phones.media.tap(b, { sampleRate: 8000 });
    const heardByA: Int16Array[] = [];
    const heardByB: Int16Array[] = [];
    tapA.onAudio((pcm) => heardByA.push(pcm));
    tapB.onAudio((pcm) => heardByB.push(pcm));
    tapA.enqueue(sine(1000, 2000));
    tapB.enqueue(sine(600, 2000));
    await new Promise((r) => setTimeout(r, 2500));
    tapA.close();
    tapB.close();
    const join = (frames: Int16Array[]): Int16Array => {
      const out = new Int16Array(frames.reduce((n, f) => n + f.length, 0));
      let at = 0;
      for (const f of frames) {
        out.set(f, at);
        at += f.length;
      }
      return out;
    };
    const atA = join(heardByA);
    const atB = join(heardByB);
    expect(atA.length).toBeGreaterThan(4000);
    expect(atB.length).toBeGreaterThan(4000);
    // Each hears the other's tone, far above a frequency nobody sent, and not its own tone (no echo).
    expect(power(atB, 1000)).toBeGreaterThan(100 * power(atB, 1700));
    expect(power(atA, 600)).toBeGreaterThan(100 * power(atA, 1700));
    expect(power(atB, 1000)).toBeGreaterThan(10 * power(atB, 600));
    expect(power(atA, 600)).toBeGreaterThan(10 * power(atA, 1000));
  });
});
