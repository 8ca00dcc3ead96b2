/**
 * End-to-end calls between SIPp and the embedded engine: answer with SDP and play a WAV prompt that arrives
 * as RTP, collect SIPp's RFC 4733 pcap digits, 488 on no common codec, 486 → busy, CANCEL on the ring
 * timeout, BYE both ways, REFER transfer, RFC 4733 send, SIP INFO DTMF. SIP ports 15660-15699, SIPp media 15760-15799.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SipCallLeg } from '../../src/engines/embedded/call-leg.js';
import { EmbeddedEngineError } from '../../src/engines/embedded/index.js';
import { ULAW_DECODE } from '../../src/engines/embedded/media/codec/g711.js';
import { goertzel } from '../../src/engines/embedded/media/play/pcm.js';
import type { DigitEvent } from '../../src/ports/media.js';
import { settle } from '../sip/sipp.js';
import { writeSineWav } from './rtp-sink.js';
import {
  farEndHangup,
  portBlock,
  sippAnswers,
  sippCalls,
  sippFixture,
  sleep,
  startEngine,
} from './support.js';

const sipPort = portBlock(15660, 15699);
const mediaPort = (() => {
  const next = portBlock(0, 9);
  return () => 15760 + 4 * next();
})();

const fx = sippFixture();

describe('SIPp calls the embedded engine', () => {
  it('answers with SDP, plays a WAV prompt that arrives as PCMU RTP, and reports the CallInfo', async () => {
    const x = fx.use(await startEngine({ min: 46600, max: 46799 }));
    const sink = await fx.sink();
    const wav = join(tmpdir(), `callflow-engine-440-${process.pid}.wav`);
    writeSineWav(wav, 440, 1000);
    fx.procs.push(sippCalls({ engine: x, port: sipPort(), mediaPort: mediaPort(), rtpPort: sink.port }));
    const leg = await x.nextInbound();
    expect(leg.info).toMatchObject({
      direction: 'inbound',
      from: '+15550001',
      to: '+15550100',
      domain: '127.0.0.1',
    });
    expect(leg.info.headers['x-test-header']).toBe('hello');
    expect(leg.info.sipCallId).toMatch(/@127\.0\.0\.1$/);
    expect(leg.info.source).toMatch(/^127\.0\.0\.1:\d+$/);
    await leg.answer();
    expect(leg.dialog?.local.sdp).toMatch(/m=audio \d+ RTP\/AVP 0/);
    expect(await x.engine.media.play(leg, [{ kind: 'file', path: wav }], { bargeIn: false })).toEqual({
      reason: 'done',
    });
    await sleep(100);
    const audio = sink.packets.filter((p) => p.pt === 0);
    expect(audio.length).toBeGreaterThanOrEqual(45);
    const pcm = new Int16Array(audio.length * 160);
    let n = 0;
    for (const p of audio) for (const b of p.payload) pcm[n++] = ULAW_DECODE[b] as number;
    const loud = pcm.subarray(0, n);
    expect(goertzel(loud, 440)).toBeGreaterThan(20 * goertzel(loud, 1000));
    await leg.hangup();
    expect((await leg.ended).cause).toBe('local-hangup');
    await fx.ok();
  });

  it("plays a WAV prompt and collects SIPp's RFC 4733 pcap digits (1, 2, #), each reported once", async () => {
    const x = fx.use(await startEngine({ min: 46600, max: 46799 }));
    const sink = await fx.sink();
    const wav = join(tmpdir(), `callflow-engine-440-long-${process.pid}.wav`);
    writeSineWav(wav, 440, 3000);
    fx.procs.push(
      sippCalls({
        engine: x,
        port: sipPort(),
        mediaPort: mediaPort(),
        rtpPort: sink.port,
        scenario: 'uac-dtmf',
      }),
    );
    const leg = await x.nextInbound();
    const seen: DigitEvent[] = [];
    x.engine.media.onDigit(leg, (e) => seen.push(e));
    await leg.answer();
    const started = Date.now();
    const r = await x.engine.media.collect(leg, {
      prompt: [{ kind: 'file', path: wav }],
      bargeIn: true,
      minDigits: 1,
      maxDigits: 8,
      terminators: '#',
      firstDigitTimeoutMs: 5000,
      interDigitTimeoutMs: 3000,
    });
    expect(r).toEqual({ digits: '12', reason: 'terminator', terminator: '#' });
    // Keys pressed during the prompt count: the collect ends on '#' before the 3 s prompt would have.
    expect(Date.now() - started).toBeLessThan(2900);
    // Until SIPp's pcaps taught the engine SIPp's real RTP address (symmetric RTP), the prompt went to the offer's.
    const heard = sink.audio();
    expect(heard.length).toBeGreaterThan(160 * 10);
    expect(goertzel(heard, 440)).toBeGreaterThan(20 * goertzel(heard, 1000));
    await sleep(300);
    expect(seen.map((e) => e.digit)).toEqual(['1', '2', '#']);
    await leg.hangup();
    await fx.ok();
  });

  it('takes DTMF sent as SIP INFO (dtmf-relay and application/dtmf)', async () => {
    const x = fx.use(await startEngine({ min: 46600, max: 46799 }));
    fx.procs.push(
      sippCalls({ engine: x, port: sipPort(), mediaPort: mediaPort(), scenario: 'uac-info-dtmf' }),
    );
    const leg = await x.nextInbound();
    await leg.answer();
    const r = await x.engine.media.collect(leg, {
      minDigits: 1,
      maxDigits: 8,
      terminators: '#',
      firstDigitTimeoutMs: 5000,
      interDigitTimeoutMs: 3000,
    });
    expect(r).toEqual({ digits: '7', reason: 'terminator', terminator: '#' });
    await leg.hangup();
    await fx.ok();
  });

  it('rejects an offer with no common codec with 488', async () => {
    const x = fx.use(await startEngine({ min: 46600, max: 46799 }));
    fx.procs.push(sippCalls({ engine: x, port: sipPort(), mediaPort: mediaPort(), scenario: 'uac-g729' }));
    const leg = await x.nextInbound();
    const err = await leg.answer().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmbeddedEngineError);
    expect((err as EmbeddedEngineError).status).toBe(488);
    expect(await leg.ended).toEqual({ cause: 'error', status: 488 });
    await fx.ok();
  });

  it('answers a SIP-I INVITE (multipart/mixed: SDP + ISUP) from its SDP part, and the audio flows', async () => {
    const x = fx.use(await startEngine({ min: 46600, max: 46799 }));
    const sink = await fx.sink();
    const wav = join(tmpdir(), `callflow-engine-sipi-${process.pid}.wav`);
    writeSineWav(wav, 440, 600);
    fx.procs.push(
      sippCalls({ engine: x, port: sipPort(), mediaPort: mediaPort(), rtpPort: sink.port, scenario: 'uac-sipi' }),
    );
    const leg = await x.nextInbound();
    await leg.answer();
    // The dialog holds the offer itself, not the multipart around it.
    expect(leg.dialog?.remote.sdp).toMatch(new RegExp(`^v=0\\r\\n[\\s\\S]*m=audio ${sink.port} RTP/AVP 0 101\\r\\n`));
    expect(leg.dialog?.remote.sdp).not.toContain('unique-boundary-1');
    await x.engine.media.play(leg, [{ kind: 'file', path: wav }], { bargeIn: false });
    await sleep(100);
    const heard = sink.audio();
    expect(heard.length).toBeGreaterThan(160 * 20);
    expect(goertzel(heard, 440)).toBeGreaterThan(20 * goertzel(heard, 1000));
    await leg.hangup();
    await fx.ok();
  });

  it('refuses an INVITE whose body is not a session description with 415 and Accept; no call reaches the flow', async () => {
    const x = fx.use(await startEngine({ min: 46600, max: 46799 }));
    fx.procs.push(sippCalls({ engine: x, port: sipPort(), mediaPort: mediaPort(), scenario: 'uac-body-415' }));
    await fx.ok();
    await expect(x.nextInbound(300)).rejects.toThrow();
    expect(x.engine.stats().activeCalls).toBe(0);
  });

  it('BYE from SIPp ends the leg with remote-hangup; operations then fail with call-ended', async () => {
    const x = fx.use(await startEngine({ min: 46600, max: 46799 }));
    fx.procs.push(sippCalls({ engine: x, port: sipPort(), mediaPort: mediaPort() }));
    const leg = await x.nextInbound();
    await leg.answer();
    const playing = x.engine.media
      .play(leg, [{ kind: 'silence', ms: 30_000 }], { bargeIn: false })
      .catch((e: unknown) => e);
    await farEndHangup(leg);
    expect((await leg.ended).cause).toBe('remote-hangup');
    expect(await playing).toMatchObject({ code: 'call-ended' });
    await expect(
      x.engine.media.play(leg, [{ kind: 'silence', ms: 100 }], { bargeIn: false }),
    ).rejects.toMatchObject({ code: 'call-ended' });
    expect(x.engine.stats().activeCalls).toBe(0);
    await fx.ok();
  });

  it('transfers with REFER: a 200 sipfrag NOTIFY means transferred, and we BYE', async () => {
    const x = fx.use(await startEngine({ min: 46600, max: 46799 }));
    const extra = ['-key', 'frag', '200 OK'];
    fx.procs.push(
      sippCalls({ engine: x, port: sipPort(), mediaPort: mediaPort(), scenario: 'uac-refer', extra }),
    );
    const leg = await x.nextInbound();
    await leg.answer();
    expect(await leg.transfer('+15550199', { timeoutMs: 5000 })).toBe('transferred');
    expect((await leg.ended).cause).toBe('transferred');
    await fx.ok();
  });

  it('a transfer whose NOTIFY reports 486 failed, and the call stays up', async () => {
    const x = fx.use(await startEngine({ min: 46600, max: 46799 }));
    const extra = ['-key', 'frag', '486 Busy Here'];
    fx.procs.push(
      sippCalls({ engine: x, port: sipPort(), mediaPort: mediaPort(), scenario: 'uac-refer', extra }),
    );
    const leg = await x.nextInbound();
    await leg.answer();
    expect(await leg.transfer('+15550199', { timeoutMs: 5000 })).toBe('failed');
    await sleep(100);
    expect(leg.state).toBe('answered');
    await leg.hangup();
    expect((await leg.ended).cause).toBe('local-hangup');
    await fx.ok();
  });

  it('sends RFC 4733 DTMF: telephone-event packets with the digit and the end bit', async () => {
    const x = fx.use(await startEngine({ min: 46600, max: 46799 }));
    const sink = await fx.sink();
    fx.procs.push(sippCalls({ engine: x, port: sipPort(), mediaPort: mediaPort(), rtpPort: sink.port }));
    const leg = await x.nextInbound();
    await leg.answer();
    await leg.sendDtmf('5', { durationMs: 100, gapMs: 50 });
    await sleep(100);
    const events = sink.packets.filter((p) => p.pt === 101);
    expect(events.length).toBeGreaterThan(2);
    expect(events.every((p) => p.payload[0] === 5)).toBe(true);
    expect(events.some((p) => ((p.payload[1] ?? 0) & 0x80) !== 0)).toBe(true);
    await leg.hangup();
    await fx.ok();
  });
});

describe('the embedded engine dials SIPp', () => {
  it('486 Busy Here is the busy outcome with its status', async () => {
    const x = fx.use(await startEngine({ min: 46600, max: 46799 }));
    const port = sipPort();
    fx.procs.push(sippAnswers({ scenario: 'uas-final', status: 486, port, mediaPort: mediaPort() }));
    await settle(300);
    const r = await x.engine.calls.dial({ to: `sip:busy@127.0.0.1:${port}`, timeoutMs: 5000 });
    expect(r).toMatchObject({ outcome: 'busy', status: 486 });
    await fx.ok();
  });

  it('the ring timeout sends CANCEL: no-answer, and SIPp sees CANCEL then ACKs its 487', async () => {
    const x = fx.use(await startEngine({ min: 46600, max: 46799 }));
    const port = sipPort();
    fx.procs.push(sippAnswers({ scenario: 'uas-ring', port, mediaPort: mediaPort() }));
    await settle(300);
    let rang = 0;
    const started = Date.now();
    const r = await x.engine.calls.dial({
      to: `sip:ring@127.0.0.1:${port}`,
      timeoutMs: 800,
      onRinging: () => rang++,
    });
    const took = Date.now() - started;
    expect(r.outcome).toBe('no-answer');
    expect(rang).toBe(1);
    expect(took).toBeGreaterThanOrEqual(700);
    expect(took).toBeLessThan(3000);
    await fx.ok();
  });

  it('an answered dial: BYE from SIPp is remote-hangup; our BYE completes SIPp', async () => {
    const x = fx.use(await startEngine({ min: 46600, max: 46799 }));
    const p1 = sipPort();
    const p2 = sipPort();
    fx.procs.push(sippAnswers({ scenario: 'uas-answer', port: p1, mediaPort: mediaPort() }));
    fx.procs.push(sippAnswers({ scenario: 'uas-answer', port: p2, mediaPort: mediaPort() }));
    await settle(300);
    const a = await x.engine.calls.dial({ to: `sip:a@127.0.0.1:${p1}`, timeoutMs: 5000 });
    const b = await x.engine.calls.dial({ to: `sip:b@127.0.0.1:${p2}`, timeoutMs: 5000 });
    if (a.outcome !== 'answered' || b.outcome !== 'answered') throw new Error('SIPp did not answer');
    expect(a.leg.info).toMatchObject({ direction: 'outbound', to: 'a' });
    await farEndHangup(a.leg as SipCallLeg);
    expect((await a.leg.ended).cause).toBe('remote-hangup');
    await b.leg.hangup();
    expect((await b.leg.ended).cause).toBe('local-hangup');
    await fx.ok();
  });
});
