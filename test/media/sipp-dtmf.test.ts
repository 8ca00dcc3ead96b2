/**
 * SIPp calls a tiny UAS built on the embedded SIP stack whose SDP answer comes from the media engine; SIPp replays
 * its bundled RFC 4733 pcaps (1, 2, 3, 5, 5) while we play a WAV prompt; every digit must be reported exactly once,
 * in order, and we hang up. Ports: SIPp SIP 40950, SIPp media 40960, our RTP 40400-40499.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import wavefile from 'wavefile';
import {
  createMediaEngine,
  type CollectOutcome,
  type DtmfEvent,
  type EmbeddedMediaEngine,
} from '../../src/engines/embedded/media/index.js';
import {
  SipStack,
  type InboundRequest,
  type OutboundResponse,
} from '../../src/engines/embedded/sip/index.js';
import { runSipp } from '../sip/sipp.js';

const PCAP_DIR = '/usr/share/sip-tester';

function scenarioXml(digits: string[]): string {
  // No pause after the last digit: SIPp must already wait for our BYE when the digit completes.
  const plays = digits
    .map((d) => `  <nop><action><exec play_pcap_audio="${PCAP_DIR}/dtmf_2833_${d}.pcap"/></action></nop>`)
    .join('\n  <pause milliseconds="450"/>\n');
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="rfc4733 pcap digits">
  <send retrans="500">
    <![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0 101
      a=rtpmap:0 PCMU/8000
      a=rtpmap:101 telephone-event/8000
      a=fmtp:101 0-15
    ]]>
  </send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="200" rrs="true"/>
  <send>
    <![CDATA[
      ACK [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
${plays}
  <recv request="BYE"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]>
  </send>
</scenario>
`;
}

/** A 16 kHz 16-bit WAV prompt (the engine resamples it to 8 kHz). */
function writePrompt(path: string): void {
  const samples = new Int16Array(16000);
  for (let i = 0; i < samples.length; i++)
    samples[i] = Math.round(4000 * Math.sin((2 * Math.PI * 425 * i) / 16000));
  const w = new wavefile.WaveFile();
  w.fromScratch(1, 16000, '16', samples);
  writeFileSync(path, w.toBuffer());
}

let stack: SipStack | undefined;
let engine: EmbeddedMediaEngine | undefined;
let dir: string | undefined;
afterEach(async () => {
  await stack?.close();
  await engine?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  stack = undefined;
  engine = undefined;
  dir = undefined;
});

describe('SIPp RFC 4733 pcaps → embedded UAS with media engine', () => {
  it('detects 1,2,3,5,5 exactly once each, in order, while playing a WAV prompt, then hangs up', async () => {
    dir = mkdtempSync(join(tmpdir(), 'media-sipp-'));
    const xml = join(dir, 'uac-dtmf.xml');
    const digits = ['1', '2', '3', '5', '5'];
    writeFileSync(xml, scenarioXml(digits));
    const wav = join(dir, 'prompt.wav');
    writePrompt(wav);
    const e = createMediaEngine({ portMin: 40400, portMax: 40499, localAddress: '127.0.0.1' });
    engine = e;
    const st = new SipStack({});
    stack = st;
    const bound = await st.listen({ udp: { port: 0, host: '127.0.0.1' } });
    const sipPort = bound.udp!.port;
    const seen: DtmfEvent[] = [];
    let answerSdp = '';
    let prompt = '';
    const collected = new Promise<CollectOutcome>((resolve, reject) => {
      st.on('invite', (req: InboundRequest, res: OutboundResponse) => {
        void (async () => {
          const { leg, sdp } = await e.answer(req.body);
          answerSdp = sdp;
          leg.on('dtmf', (d: DtmfEvent) => seen.push(d));
          const dialog = await st.createUAS(req, res, { localSdp: sdp });
          const ep = e.endpoint(leg);
          void ep.play(wav).then((r) => (prompt = r.reason));
          const out = await ep.collectDigits({
            maxDigits: 5,
            firstDigitTimeoutMs: 8000,
            interDigitTimeoutMs: 3000,
          });
          await dialog.destroy();
          ep.destroy();
          resolve(out);
        })().catch(reject);
      });
    });
    const run = runSipp({
      scenario: xml,
      port: 40950,
      remote: `127.0.0.1:${sipPort}`,
      extra: ['-mp', '40960', '-mi', '127.0.0.1'],
      timeoutSec: 25,
    });
    const [out, r] = await Promise.all([collected, run.done]);
    expect(r.code, r.errors + r.stderr).toBe(0);
    expect(answerSdp).toContain('telephone-event/8000');
    expect(answerSdp).toMatch(/m=audio 404\d\d RTP\/AVP 0 101/);
    expect(out).toEqual({ digits: '12355', reason: 'complete' });
    expect(seen.map((d) => d.digit)).toEqual(digits);
    for (const d of seen) {
      expect(d.mode).toBe('rfc4733');
      expect(d.durationMs).toBe(280);
    }
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.at).toBeGreaterThan(seen[i - 1]!.at + 200);
    expect(['done', 'leg-closed', 'aborted']).toContain(prompt);
  });
});
