/** Offer/answer between two engines, then media over the negotiated legs; a 3-party channel. Ports 40200-40399. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMediaEngine,
  SdpError,
  type AudioInfo,
  type DtmfEvent,
  type EmbeddedMediaEngine,
  type UdpRtpLeg,
} from '../../src/engines/embedded/media/index.js';
import { goertzel } from '../../src/engines/embedded/media/play/pcm.js';
import { sleep, until } from './support/wait.js';

const engines: EmbeddedMediaEngine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
});

function start(min: number): EmbeddedMediaEngine {
  const e = createMediaEngine({ portMin: min, portMax: min + 49, localAddress: '127.0.0.1' });
  engines.push(e);
  return e;
}

function heard(leg: UdpRtpLeg, freq: number): () => boolean {
  let hit = false;
  leg.on('audio', (pcm: Int16Array, _i: AudioInfo) => {
    if (goertzel(pcm, freq) > 0.003) hit = true;
  });
  return () => hit;
}

describe('MediaEngine offer/answer', () => {
  it('offer → answer → complete gives two working legs with the answerer codec and DTMF', async () => {
    const uac = start(40200);
    const uas = start(40250);
    const pending = await uac.offer({ codecs: ['PCMA', 'PCMU'] });
    expect(pending.sdp).toMatch(/m=audio \d+ RTP\/AVP 8 0 101/);
    const { leg: b, sdp } = await uas.answer(pending.sdp);
    expect(sdp).toMatch(/m=audio \d+ RTP\/AVP 8 101/);
    expect(sdp).toContain('a=sendrecv');
    pending.complete(sdp);
    const a = pending.leg;
    expect(a.codec).toBe('PCMA');
    expect(b.codec).toBe('PCMA');
    const aHears = heard(a, 600);
    const bHears = heard(b, 1100);
    const digits: DtmfEvent[] = [];
    b.on('dtmf', (d: DtmfEvent) => digits.push(d));
    void uac.endpoint(a).tone({ freqs: [1100], totalMs: 300 });
    void uas.endpoint(b).tone({ freqs: [600], totalMs: 300 });
    await until(() => aHears() && bHears(), 'audio both ways');
    await a.sendDtmf('5');
    await until(() => digits.length === 1, 'digit');
    expect(digits[0]).toMatchObject({ digit: '5', mode: 'rfc4733' });
    const st = uac.stats();
    expect(st.legs).toBe(1);
    expect(st.packetsSent).toBeGreaterThan(3);
    expect(st.packetsReceived).toBeGreaterThan(3);
  });

  it('answers a hold offer with recvonly and does not send', async () => {
    const uas = start(40300);
    const offer =
      'v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40349 RTP/AVP 0\r\na=sendonly\r\n';
    const { leg, sdp } = await uas.answer(offer);
    expect(sdp).toContain('a=recvonly');
    expect(sdp).not.toContain('telephone-event');
    await sleep(100);
    expect(leg.stats().sent.packets).toBe(0);
  });

  it('re-answers a re-INVITE on the same leg: hold, codec change, same port and session, version + 1', async () => {
    const uas = start(40300);
    const base = 'v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n';
    const { leg, sdp } = await uas.answer(
      `${base}m=audio 40349 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n`,
    );
    const port = /m=audio (\d+)/.exec(sdp)![1];
    const o1 = /o=callflow (\d+) (\d+)/.exec(sdp)!;
    const re = uas.reanswer(leg, `${base}m=audio 40347 RTP/AVP 8\r\na=sendonly\r\n`);
    const o2 = /o=callflow (\d+) (\d+)/.exec(re)!;
    expect(/m=audio (\d+) RTP\/AVP 8\r\n/.exec(re)?.[1]).toBe(port);
    expect(re).toContain('a=recvonly');
    expect(o2[1]).toBe(o1[1]);
    expect(Number(o2[2])).toBe(Number(o1[2]) + 1);
    expect(leg.codec).toBe('PCMA');
    expect(leg.telephoneEventPt).toBeUndefined();
    expect(leg.mediaDirection).toBe('recvonly');
    expect(leg.remoteAddress).toEqual({ address: '127.0.0.1', port: 40347 });
    expect(() => uas.reanswer(leg, `${base}m=audio 40347 RTP/AVP 9\r\n`)).toThrow(SdpError);
    expect(leg.codec).toBe('PCMA');
  });

  it('listens for in-band DTMF by default when the offer has no telephone-event', async () => {
    const uac = start(40200);
    const uas = start(40250);
    const x = await uac.createLeg();
    const offer = `v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio ${x.localPort} RTP/AVP 0\r\n`;
    const { leg, sdp } = await uas.answer(offer);
    expect(leg.telephoneEventPt).toBeUndefined();
    x.setRemote('127.0.0.1', Number(/m=audio (\d+)/.exec(sdp)![1]));
    const digits: DtmfEvent[] = [];
    leg.on('dtmf', (d: DtmfEvent) => digits.push(d));
    await x.sendDtmf('9');
    await until(() => digits.length === 1, 'in-band digit');
    expect(digits[0]).toMatchObject({ digit: '9', mode: 'inband' });
  });

  it('rejects an offer without PCMU/PCMA with SdpError 488 and leaks no port', async () => {
    const uas = start(40350);
    const offer =
      'v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 5000 RTP/AVP 9\r\na=rtpmap:9 G722/8000\r\n';
    await expect(uas.answer(offer)).rejects.toBeInstanceOf(SdpError);
    expect(uas.stats().portsInUse).toBe(0);
  });
});

describe('3-party channel over UDP', () => {
  it('C hears A and B but not itself', async () => {
    const e = start(40350);
    // Three callers (x) each paired with an engine-side leg (y) that joins the channel.
    const callers: UdpRtpLeg[] = [];
    const eps = [];
    for (let i = 0; i < 3; i++) {
      const x = await e.createLeg();
      const y = await e.createLeg();
      x.setRemote('127.0.0.1', y.localPort);
      y.setRemote('127.0.0.1', x.localPort);
      callers.push(x);
      const ep = e.endpoint(y);
      ep.joinChannel('room');
      eps.push(ep);
    }
    expect(e.resources.channels.get('room')?.members.size ?? 0).toBe(3);
    const [a, b, c] = callers as [UdpRtpLeg, UdpRtpLeg, UdpRtpLeg];
    const cHearsA = heard(c, 500);
    const cHearsB = heard(c, 1500);
    const cHearsC = heard(c, 2500);
    void e.endpoint(a).tone({ freqs: [500], totalMs: 400 });
    void e.endpoint(b).tone({ freqs: [1500], totalMs: 400 });
    void e.endpoint(c).tone({ freqs: [2500], totalMs: 400 });
    await until(() => cHearsA() && cHearsB(), 'A and B at C');
    await sleep(200);
    expect(cHearsC()).toBe(false);
    eps[2]!.leaveChannel();
    expect(e.resources.channels.get('room')?.members.size).toBe(2);
  });
});
