/**
 * Engine-level behaviour with SIPp: a bridge carries audio both ways, late offer, re-INVITE hold, digest auth
 * through a trunk, trunk matching of inbound sources, 480 without a handler, and shutdown.
 * SIP ports 15640-15659, SIPp media 15740-15759.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SipCallLeg } from '../../src/engines/embedded/call-leg.js';
import { goertzel } from '../../src/engines/embedded/media/play/pcm.js';
import { runSipp, scenario as sipScenario, settle } from '../sip/sipp.js';
import { RtpSink, sineFrame } from './rtp-sink.js';
import { createEmbeddedEngine } from '../../src/engines/embedded/index.js';
import { finishSipps, portBlock, scenario, sippCalls, sleep, startEngine, testMediaEngine, type SippProc, type TestEngine } from './support.js';

const sipPort = portBlock(15640, 15659);
const mediaPort = (() => {
  const next = portBlock(0, 4);
  return () => 15740 + 4 * next();
})();

let t: TestEngine | undefined;
let procs: SippProc[] = [];
const cleanups: (() => void)[] = [];

afterEach(async () => {
  for (const fn of cleanups.splice(0)) fn();
  const running = procs;
  procs = [];
  await finishSipps(running, async () => {
    await t?.close();
  });
  t = undefined;
});

async function sippOk(): Promise<void> {
  const results = await finishSipps(procs, async () => undefined, 8000);
  procs = [];
  for (const r of results) expect(r.code, r.errors + r.stderr).toBe(0);
}

async function sink(): Promise<RtpSink> {
  const s = await RtpSink.open();
  cleanups.push(() => s.close());
  return s;
}

/** Our RTP port for `leg`. */
function ourRtpPort(leg: SipCallLeg): number {
  const port = leg.rtpLeg?.localPort;
  if (port === undefined) throw new Error('no RTP leg');
  return port;
}

describe('embedded engine with SIPp', () => {
  it('bridges two calls: a tone sent into each leg comes out of the other', async () => {
    t = await startEngine({ min: 46800, max: 46899 });
    const [sa, sb] = [await sink(), await sink()];
    procs.push(sippCalls({ engine: t, port: sipPort(), mediaPort: mediaPort(), rtpPort: sa.port }));
    const a = await t.nextInbound();
    procs.push(sippCalls({ engine: t, port: sipPort(), mediaPort: mediaPort(), rtpPort: sb.port }));
    const b = await t.nextInbound();
    await a.answer();
    await b.answer();
    const ac = new AbortController();
    const bridged = t.engine.calls.bridge(a, b, ac.signal);
    const [pa, pb] = [ourRtpPort(a), ourRtpPort(b)];
    for (let i = 0; i < 40; i++) {
      sa.sendPcmu(pa, i, sineFrame(500, i * 160));
      sb.sendPcmu(pb, i, sineFrame(1200, i * 160));
      await sleep(20);
    }
    await sleep(200);
    ac.abort();
    expect(await bridged).toEqual({ endedBy: 'aborted' });
    const [atA, atB] = [sa.audio(), sb.audio()];
    expect(goertzel(atB, 500)).toBeGreaterThan(10 * goertzel(atB, 1200));
    expect(goertzel(atA, 1200)).toBeGreaterThan(10 * goertzel(atA, 500));
    await a.hangup();
    await b.hangup();
    await sippOk();
  });

  it('media before answer opens early media: a 183 with our SDP, RTP flows, then the 200 keeps it', async () => {
    t = await startEngine({ min: 46800, max: 46899 });
    const s = await sink();
    procs.push(sippCalls({ engine: t, port: sipPort(), mediaPort: mediaPort(), rtpPort: s.port }));
    const leg = await t.nextInbound();
    expect(await t.engine.media.play(leg, [{ kind: 'tone', name: 'beep' }], { bargeIn: false })).toEqual({ reason: 'done' });
    expect(leg.state).toBe('ringing');
    await sleep(60);
    const early = s.packets.filter((x) => x.pt === 0).length;
    expect(early).toBeGreaterThan(5);
    const earlyPort = ourRtpPort(leg);
    await leg.answer();
    expect(ourRtpPort(leg)).toBe(earlyPort);
    expect(leg.dialog?.local.sdp).toContain(`m=audio ${earlyPort} `);
    await leg.hangup();
    await sippOk();
  });

  it('late offer: we offer in the 200 and take the answer from the ACK', async () => {
    t = await startEngine({ min: 46800, max: 46899 });
    const s = await sink();
    procs.push(sippCalls({ engine: t, port: sipPort(), mediaPort: mediaPort(), rtpPort: s.port, scenario: 'uac-late' }));
    const leg = await t.nextInbound();
    await leg.answer();
    expect(leg.dialog?.local.sdp).toMatch(/m=audio \d+ RTP\/AVP 0/);
    await sleep(300);
    const p = t.engine.media.play(leg, [{ kind: 'tone', name: 'beep' }], { bargeIn: false });
    expect(await p).toEqual({ reason: 'done' });
    await sleep(100);
    expect(s.packets.filter((x) => x.pt === 0).length).toBeGreaterThan(5);
    await leg.hangup();
    await sippOk();
  });

  it('a re-INVITE with sendonly is answered recvonly and stops our RTP', async () => {
    t = await startEngine({ min: 46800, max: 46899 });
    const s = await sink();
    procs.push(sippCalls({ engine: t, port: sipPort(), mediaPort: mediaPort(), rtpPort: s.port, scenario: 'uac-hold' }));
    const leg = await t.nextInbound();
    await leg.answer();
    const playing = t.engine.media.play(leg, [{ kind: 'tone', name: 'ringback' }], { bargeIn: false }).catch(() => undefined);
    await sleep(1200);
    const before = s.packets.length;
    // The ringback was flowing before the hold (about 400 ms of it).
    expect(before).toBeGreaterThan(5);
    await sleep(400);
    expect(s.packets.length - before).toBeLessThan(3);
    expect(leg.dialog?.local.sdp).toMatch(/a=recvonly/);
    await leg.hangup();
    await playing;
    await sippOk();
  });

  it('dials through a trunk and answers its digest challenge with the trunk credentials', async () => {
    const port = sipPort();
    t = await startEngine({ min: 46800, max: 46899 }, { trunks: { carrier: { uri: `sip:127.0.0.1:${port}`, username: 'alice', password: 'secret', default: true } } });
    procs.push(runSipp({ scenario: sipScenario('uas-auth'), port, extra: ['-mi', '127.0.0.1', '-mp', String(mediaPort())] }));
    await settle(300);
    const r = await t.engine.calls.dial({ to: '+15550123', timeoutMs: 5000 });
    expect(r.outcome).toBe('answered');
    if (r.outcome !== 'answered') return;
    expect(r.leg.info.toUri).toContain('+15550123@127.0.0.1');
    await r.leg.hangup();
    await sippOk();
  });

  it('names the trunk an inbound call came from', async () => {
    t = await startEngine({ min: 46800, max: 46899 }, { trunks: { local: { uri: 'sip:127.0.0.1', sources: ['127.0.0.0/8'] } } });
    procs.push(sippCalls({ engine: t, port: sipPort(), mediaPort: mediaPort() }));
    const leg = await t.nextInbound();
    expect(leg.info.trunk).toBe('local');
    await leg.hangup({ status: 486 });
    await sippOk();
  });

  it('stop() hangs up live calls with the shutdown cause, and SIPp gets its BYE', async () => {
    t = await startEngine({ min: 46800, max: 46899 });
    procs.push(sippCalls({ engine: t, port: sipPort(), mediaPort: mediaPort() }));
    const leg = await t.nextInbound();
    await leg.answer();
    await t.close();
    expect((await leg.ended).cause).toBe('shutdown');
    await sippOk();
  });
});

describe('embedded engine without a handler', () => {
  it('answers INVITEs with 480 and counts them', async () => {
    const engine = createEmbeddedEngine({ sip: { host: '127.0.0.1', port: 0, transports: ['udp'] }, mediaEngine: testMediaEngine({ min: 46900, max: 46919 }) });
    const bound = await engine.start();
    cleanups.push(() => void engine.stop(0));
    const remote = `127.0.0.1:${bound.udp?.port ?? 0}`;
    const r = await runSipp({ scenario: scenario('uac-call'), port: sipPort(), remote, extra: ['-key', 'rtpport', '9', '-mi', '127.0.0.1', '-mp', String(mediaPort())] }).done;
    // uac-call takes the 480 branch (ACK and end): SIPp succeeding shows the refusal was well-formed.
    expect(r.code, r.errors).toBe(0);
    expect(engine.stats().rejectedNoHandler).toBe(1);
    expect(engine.stats().activeCalls).toBe(0);
  });
});
