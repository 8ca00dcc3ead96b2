/**
 * stream-to-websocket end to end: SIPp calls `callflow serve` (real SIP, real RTP on the embedded engine), the
 * flow streams the call to the example echo bot (a real process, Exotel protocol), and:
 * - the bot gets `start` with the call's facts and the flow's custom parameters, then the caller's audio;
 * - the bot's echo is played back over RTP, its marks come back only after playout;
 * - a digit pressed on the call (RFC 4733) reaches the bot;
 * - the caller's BYE reaches the bot as `stop` with reason `callended`, and the call ends cleanly;
 * - when the bot closes the socket, the flow continues (and hangs up with a BYE SIPp answers);
 * - an unreachable bot takes the flow's error path.
 * SIP ports 16200-16239 (one 40-port block of the 16200-16399 range).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portBlock } from './support/ports.js';
import { startServer, until, type TestServer } from './support/server.js';
import { runSipp } from './support/sipp.js';
import { startBotProcess, type BotProcess } from './stream-bot-process.js';

const ports = portBlock(16200);

const flow = (echoUrl: string, dtmfUrl: string): string => `flow stream-e2e
  "e2e: stream the call to a WebSocket bot"

on call to "+1555020*" -> echo
on call to "+15550210" -> menu
on call to "+15550220" -> unreachable
on call to "+15550230" -> twilio

state echo
  answer
  stream-to-websocket "${echoUrl}" protocol exotel params { caller: call.from, campaign: "e2e" } max-duration 20s
    on closed -> done
    on error -> failed
    on timeout -> done
  -> done

state menu
  answer
  stream-to-websocket "${dtmfUrl}" protocol exotel connect-timeout 2s max-duration 20s
    on closed -> after_bot
    on error -> failed
    on timeout -> done
  -> done

state twilio
  answer
  stream-to-websocket "${echoUrl}" protocol twilio params { caller: call.from } max-duration 20s
    on closed -> done
    on error -> failed
  -> done

state unreachable
  answer
  stream-to-websocket "ws://127.0.0.1:9/nobody" connect-timeout 1s
    on error -> failed
    on closed -> done
  -> done

state after_bot
  log "the bot hung up; the flow goes on"
  hangup reason "bot finished"

state failed
  log "bot unreachable: fallback"
  hangup reason "bot unreachable"

state done
  hangup
`;

/** A UAC: INVITE (PCMA + telephone-event), play caller audio, optional digits, then BYE or wait for BYE. */
function scenario(o: { digits: string[]; end: 'caller-bye' | 'await-bye'; talkMs: number }): string {
  const sdp = `v=0
      o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 8 101
      a=rtpmap:8 PCMA/8000
      a=rtpmap:101 telephone-event/8000
      a=fmtp:101 0-16
      a=sendrecv`;
  // SIPp aborts on a BYE that arrives during a pause, so when the server hangs up there is no pause after the
  // last digit: the scenario goes straight to waiting for the BYE.
  const dtmf = o.digits
    .map((d, i) => {
      const play = `<nop><action><exec play_pcap_audio="/usr/share/sip-tester/dtmf_2833_${d === '#' ? 'pound' : d}.pcap"/></action></nop>`;
      return o.end === 'await-bye' && i === o.digits.length - 1 ? play : `${play}\n  <pause milliseconds="600"/>`;
    })
    .join('\n  ');
  const bye =
    o.end === 'caller-bye'
      ? `<send retrans="500"><![CDATA[
      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      From: sipp <sip:+15550001@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: 2 BYE
      Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
      Content-Length: 0
    ]]></send>
  <recv response="200"/>`
      : `<recv request="BYE"/>
  <send><![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]></send>`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="stream e2e uac">
  <send retrans="500"><![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=z9hG4bK-inv1-[call_number]-[pid];rport
      From: sipp <sip:+15550001@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

      ${sdp}
    ]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rrs="true"/>
  <send><![CDATA[
      ACK [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      From: sipp <sip:+15550001@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
      Content-Length: 0
    ]]></send>
  <nop><action><exec play_pcap_audio="/usr/share/sip-tester/g711a.pcap"/></action></nop>
  ${o.talkMs > 0 ? `<pause milliseconds="${o.talkMs}"/>` : ''}
  ${dtmf}
  ${bye}
</scenario>
`;
}

describe('stream-to-websocket over SIP and RTP', () => {
  let srv: TestServer;
  let echo: BotProcess;
  let menu: BotProcess;
  let dir: string;

  beforeAll(async () => {
    echo = await startBotProcess('echo-bot', []); // --protocol auto: exotel and twilio streams both
    menu = await startBotProcess('dtmf-bot', ['--protocol', 'exotel']);
    dir = mkdtempSync(join(tmpdir(), 'cf-stream-e2e-'));
    const flows = join(dir, 'flows');
    await import('node:fs/promises').then((fs) => fs.mkdir(flows));
    writeFileSync(join(flows, 'stream-e2e.flow'), flow(echo.url, menu.url));
    srv = await startServer({ flowsDir: flows, rtp: ports.rtp });
  });
  afterAll(async () => {
    await srv?.stop();
    await echo?.stop();
    await menu?.stop();
  });

  const sipp = (name: string, xml: string, i: number, service: string) => {
    const file = join(dir, `${name}.xml`);
    writeFileSync(file, xml);
    return runSipp({ scenario: file, port: ports.sipp(i), mediaPort: ports.media(i), remote: srv.sipTarget, service, timeoutSec: 40 });
  };

  it('caller audio and digits reach the echo bot with start + custom parameters; the caller BYE sends stop callended', async () => {
    const result = await sipp('echo', scenario({ digits: ['5'], end: 'caller-bye', talkMs: 2500 }), 0, '+15550200').done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
    const start = await echo.waitForLine(/start exotel pcm 8000 Hz call \S+ params/);
    expect(start).toContain('params {"caller":"+15550001","campaign":"e2e"}');
    // Marks come back only after the echoed audio has gone out as RTP, so this proves audio both ways.
    await echo.waitForLine(/mark played: echo-2$/);
    await echo.waitForLine(/dtmf 5: clearing queued echo/);
    const stop = await echo.waitForLine(/stop callended after \d+ media messages/, 5000);
    const frames = Number(/after (\d+) media messages \((\d+) bytes\)/.exec(stop)?.[1]);
    const bytes = Number(/\((\d+) bytes\)/.exec(stop)?.[1]);
    expect(frames).toBeGreaterThanOrEqual(100);
    expect(bytes).toBe(frames * 320);
    await echo.waitForLine(/closed \(1000\)/);
    const ended = await srv.waitForLog((l) => l.event === 'session.end' && l.flow === 'stream-e2e', 5000);
    expect(String(ended.cause)).toMatch(/remote-hangup/);
  });

  it('twilio: µ-law frames and the digit reach the bot, and the caller BYE ends the stream with stop', async () => {
    const result = await sipp('twilio', scenario({ digits: ['7'], end: 'caller-bye', talkMs: 1500 }), 3, '+15550230').done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
    const start = await echo.waitForLine(/start twilio mulaw 8000 Hz call \S+ params \{"caller":"\+15550001"\}/);
    const sid = /^\[(\w+)\]/.exec(start)?.[1] ?? 'none';
    await echo.waitForLine(new RegExp(`^\\[${sid}\\] dtmf 7: clearing queued echo`));
    const stop = await echo.waitForLine(new RegExp(`^\\[${sid}\\] stop \\w+ after \\d+ media messages`), 5000);
    const m = /after (\d+) media messages \((\d+) bytes\), (\d+) echoed/.exec(stop);
    expect(Number(m?.[1])).toBeGreaterThanOrEqual(50);
    expect(Number(m?.[2])).toBe(Number(m?.[1]) * 160);
    expect(Number(m?.[3])).toBeGreaterThanOrEqual(40);
  });

  it('the bot closing the socket lets the flow continue: it hangs up with a BYE', async () => {
    const result = await sipp('menu', scenario({ digits: ['#'], end: 'await-bye', talkMs: 1500 }), 1, '+15550210').done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
    await menu.waitForLine(/dtmf #$/);
    await menu.waitForLine(/mark played: goodbye$/);
    await srv.waitForLog((l) => l.msg === 'the bot hung up; the flow goes on' || l.message === 'the bot hung up; the flow goes on', 5000);
  });

  it('an unreachable bot takes the error path (fallback), and the flow hangs up', async () => {
    const result = await sipp('unreachable', scenario({ digits: [], end: 'await-bye', talkMs: 0 }), 2, '+15550220').done;
    expect(result.code, `${result.errors}\n${result.stderr}`).toBe(0);
    await until(() => srv.logs.some((l) => JSON.stringify(l).includes('bot unreachable: fallback')), 'the fallback log', 5000);
  });
});
