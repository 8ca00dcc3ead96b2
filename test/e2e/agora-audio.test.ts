/**
 * Callers in one Agora-gateway channel hear each other, however they joined. A second embedded engine plays
 * the phones (real SIP and RTP): A dials the DID and keys the PIN, C dials the inboundsip address, and the
 * gateway dials B (outbound). A sends a 1 kHz tone and B a 600 Hz tone; each must hear the other's tone
 * (Goertzel power far above a control frequency, and above its own tone), and C must hear both.
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
const DID = '17377583411';
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
  let phonesPort = 0;
  const legs: CallLeg[] = [];

  beforeAll(async () => {
    srv = await startServer({
      flowsDir: FLOWS,
      rtp: ports.rtp,
      config: {
        sip: { host: '127.0.0.1', port: SIP_PORT, transports: ['udp'] },
        flowConfig: {
          'agora-pstn': {
            dids: { AREA_CODE_NA: [DID] },
            sip_address: `127.0.0.1:${SIP_PORT}`,
            prompt_welcome: 'Hi.',
            prompt_pin: 'PIN?',
            prompt_joining: 'Ok.',
          },
        },
      },
    });
    phones = createEmbeddedEngine({
      sip: { host: '127.0.0.1', port: 0, transports: ['udp'] },
      rtp: { address: '127.0.0.1', portMin: PHONE_RTP.min, portMax: PHONE_RTP.max },
    });
    // B: the callee the gateway dials answers at once.
    phones.onIncomingCall((leg) => {
      legs.push(leg);
      void leg.answer().catch(() => undefined);
    });
    phonesPort = (await phones.start()).udp?.port ?? 0;
  });
  afterAll(async () => {
    for (const l of legs) await l.hangup().catch(() => undefined);
    await phones?.stop(0);
    await srv?.stop();
  });

  const pstn = async (body: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const res = await srv.api(
      'POST',
      '/v1/api/pstn',
      { appid: 'app-audio', channel: 'mix', region: 'AREA_CODE_NA', ...body },
      { authorization: BASIC },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  async function dialIn(uri: string): Promise<CallLeg> {
    const r = await phones.calls.dial({ to: uri, from: 'sip:tester@127.0.0.1', timeoutMs: 10_000 });
    expect(r.outcome, r.outcome === 'answered' ? '' : JSON.stringify(r)).toBe('answered');
    if (r.outcome !== 'answered') throw new Error('not answered');
    legs.push(r.leg);
    return r.leg;
  }

  async function inChannel(n: number): Promise<void> {
    await until(
      async () => {
        const calls = ((await srv.api('GET', '/v1/calls')).body.calls ?? []) as Array<{ step?: string }>;
        return calls.filter((c) => c.step === 'bridge-to-channel').length === n;
      },
      `${n} callers in the channel`,
      20_000,
    );
  }

  it('a PIN caller, a SIP caller and a dialled-out callee all hear each other', async () => {
    const inbound = await pstn({ action: 'inbound', uid: '1' });
    const a = await dialIn(`sip:${String(inbound.did)}@127.0.0.1:${SIP_PORT}`);
    await new Promise((r) => setTimeout(r, 800));
    await a.sendDtmf(`${String(inbound.pin)}#`, { durationMs: 100, gapMs: 100 });
    await inChannel(1);
    const c = await dialIn(String((await pstn({ action: 'inboundsip', uid: '3' })).sip));
    await inChannel(2);
    const out = await pstn({
      action: 'outbound',
      uid: '2',
      prompt: 'false',
      to: '+14155550199',
      from: '+1800222333',
      sip: `127.0.0.1:${phonesPort}`,
    });
    expect(out.success).toBe(true);
    await inChannel(3);
    const b = legs.find((l) => l !== a && l !== c) as CallLeg;
    const taps = [a, b, c].map((leg) => phones.media.tap(leg, { sampleRate: 8000 }));
    const heard: Int16Array[][] = [[], [], []];
    taps.forEach((t, i) => t.onAudio((pcm) => heard[i]?.push(pcm)));
    taps[0]?.enqueue(sine(1000, 2000));
    taps[1]?.enqueue(sine(600, 2000));
    await new Promise((r) => setTimeout(r, 2500));
    for (const t of taps) t.close();
    const [atA, atB, atC] = heard.map((frames) => {
      const pcm = new Int16Array(frames.reduce((n, f) => n + f.length, 0));
      let at = 0;
      for (const f of frames) {
        pcm.set(f, at);
        at += f.length;
      }
      return pcm;
    }) as [Int16Array, Int16Array, Int16Array];
    for (const pcm of [atA, atB, atC]) expect(pcm.length).toBeGreaterThan(4000);
    // Each hears the other's tone, far above a frequency nobody sent, and louder than its own (no echo).
    expect(power(atB, 1000)).toBeGreaterThan(100 * power(atB, 1700));
    expect(power(atA, 600)).toBeGreaterThan(100 * power(atA, 1700));
    expect(power(atB, 1000)).toBeGreaterThan(10 * power(atB, 600));
    expect(power(atA, 600)).toBeGreaterThan(10 * power(atA, 1000));
    expect(power(atC, 1000)).toBeGreaterThan(100 * power(atC, 1700));
    expect(power(atC, 600)).toBeGreaterThan(100 * power(atC, 1700));
  });
});
