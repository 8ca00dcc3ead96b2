/**
 * Media behaviour with SIPp: a bridge carries audio both ways, early media (183), in-band DTMF, late offer,
 * re-INVITE hold, media timeout. SIP ports 15650-15659, SIPp media 15752-15759, RTP 46900-46999.
 */
import { describe, expect, it } from 'vitest';
import type { SipCallLeg } from '../../src/engines/embedded/call-leg.js';
import { goertzel } from '../../src/engines/embedded/media/play/pcm.js';
import { sineFrame } from './rtp-sink.js';
import { portBlock, sippCalls, sippFixture, sleep, startEngine } from './support.js';

const sipPort = portBlock(15650, 15659);
const mediaPort = (() => {
  const next = portBlock(0, 1);
  return () => 15752 + 4 * next();
})();
const fx = sippFixture();

/** Our RTP port for `leg`. */
function ourRtpPort(leg: SipCallLeg): number {
  const port = leg.rtpLeg?.localPort;
  if (port === undefined) throw new Error('no RTP leg');
  return port;
}

describe('embedded engine media with SIPp', () => {
  it('bridges two calls: a tone sent into each leg comes out of the other', async () => {
    const t = fx.use(await startEngine({ min: 46900, max: 46999 }));
    const [sa, sb] = [await fx.sink(), await fx.sink()];
    fx.procs.push(sippCalls({ engine: t, port: sipPort(), mediaPort: mediaPort(), rtpPort: sa.port }));
    const a = await t.nextInbound();
    fx.procs.push(sippCalls({ engine: t, port: sipPort(), mediaPort: mediaPort(), rtpPort: sb.port }));
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
    await fx.ok();
  });

  it('media before answer opens early media: a 183 with our SDP, RTP flows, then the 200 keeps it', async () => {
    const t = fx.use(await startEngine({ min: 46900, max: 46999 }));
    const s = await fx.sink();
    fx.procs.push(sippCalls({ engine: t, port: sipPort(), mediaPort: mediaPort(), rtpPort: s.port }));
    const leg = await t.nextInbound();
    expect(await t.engine.media.play(leg, [{ kind: 'tone', name: 'beep' }], { bargeIn: false })).toEqual({
      reason: 'done',
    });
    expect(leg.state).toBe('ringing');
    await sleep(60);
    const early = s.packets.filter((x) => x.pt === 0).length;
    expect(early).toBeGreaterThan(5);
    const earlyPort = ourRtpPort(leg);
    await leg.answer();
    expect(ourRtpPort(leg)).toBe(earlyPort);
    expect(leg.dialog?.local.sdp).toContain(`m=audio ${earlyPort} `);
    await leg.hangup();
    await fx.ok();
  });

  it('detects in-band DTMF tones when rtp.inbandDtmf is on', async () => {
    const t = fx.use(
      await startEngine(
        { min: 46900, max: 46999 },
        { rtp: { address: '127.0.0.1', portMin: 46900, portMax: 46999, inbandDtmf: true } },
      ),
    );
    const s = await fx.sink();
    fx.procs.push(sippCalls({ engine: t, port: sipPort(), mediaPort: mediaPort(), rtpPort: s.port }));
    const leg = await t.nextInbound();
    await leg.answer();
    const collected = t.engine.media.collect(leg, {
      minDigits: 1,
      maxDigits: 4,
      terminators: '#',
      firstDigitTimeoutMs: 5000,
      interDigitTimeoutMs: 3000,
    });
    const port = ourRtpPort(leg);
    // DTMF 5 is 770 + 1336 Hz, # is 941 + 1477 Hz (ITU-T Q.23): 120 ms of each, 100 ms of silence around.
    const tones: [number, number][] = [
      [0, 0],
      [770, 1336],
      [0, 0],
      [941, 1477],
      [0, 0],
    ];
    let seq = 0;
    for (const [f1, f2] of tones) {
      for (let i = 0; i < 6; i++, seq++) {
        const a = sineFrame(f1, seq * 160);
        const b = sineFrame(f2, seq * 160);
        for (let j = 0; j < 160; j++)
          a[j] = f1 === 0 ? 0 : Math.round(((a[j] as number) + (b[j] as number)) / 2);
        s.sendPcmu(port, seq, a);
        await sleep(20);
      }
    }
    expect(await collected).toEqual({ digits: '5', reason: 'terminator', terminator: '#' });
    await leg.hangup();
    await fx.ok();
  });

  it('late offer: we offer in the 200 and take the answer from the ACK', async () => {
    const t = fx.use(await startEngine({ min: 46900, max: 46999 }));
    const s = await fx.sink();
    fx.procs.push(
      sippCalls({
        engine: t,
        port: sipPort(),
        mediaPort: mediaPort(),
        rtpPort: s.port,
        scenario: 'uac-late',
      }),
    );
    const leg = await t.nextInbound();
    await leg.answer();
    expect(leg.dialog?.local.sdp).toMatch(/m=audio \d+ RTP\/AVP 0/);
    await sleep(300);
    const p = t.engine.media.play(leg, [{ kind: 'tone', name: 'beep' }], { bargeIn: false });
    expect(await p).toEqual({ reason: 'done' });
    await sleep(100);
    expect(s.packets.filter((x) => x.pt === 0).length).toBeGreaterThan(5);
    await leg.hangup();
    await fx.ok();
  });

  it('a re-INVITE with sendonly is answered recvonly and stops our RTP', async () => {
    const t = fx.use(await startEngine({ min: 46900, max: 46999 }));
    const s = await fx.sink();
    fx.procs.push(
      sippCalls({
        engine: t,
        port: sipPort(),
        mediaPort: mediaPort(),
        rtpPort: s.port,
        scenario: 'uac-hold',
      }),
    );
    const leg = await t.nextInbound();
    await leg.answer();
    const playing = t.engine.media
      .play(leg, [{ kind: 'tone', name: 'ringback' }], { bargeIn: false })
      .catch(() => undefined);
    await sleep(1200);
    const before = s.packets.length;
    // The ringback was flowing before the hold (about 400 ms of it).
    expect(before).toBeGreaterThan(5);
    await sleep(400);
    expect(s.packets.length - before).toBeLessThan(3);
    expect(leg.dialog?.local.sdp).toMatch(/a=recvonly/);
    await leg.hangup();
    await playing;
    await fx.ok();
  });

  it('hangs up with media-timeout when no RTP arrives, and SIPp gets its BYE', async () => {
    const t = fx.use(
      await startEngine(
        { min: 46900, max: 46999 },
        { rtp: { address: '127.0.0.1', portMin: 46900, portMax: 46999, mediaTimeoutMs: 600 } },
      ),
    );
    fx.procs.push(sippCalls({ engine: t, port: sipPort(), mediaPort: mediaPort() }));
    const leg = await t.nextInbound();
    const started = Date.now();
    await leg.answer();
    expect((await leg.ended).cause).toBe('media-timeout');
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(500);
    expect(took).toBeLessThan(4000);
    await fx.ok();
  });
});
