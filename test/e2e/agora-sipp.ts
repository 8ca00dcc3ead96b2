/**
 * SIPp scenarios for the Agora gateway e2e tests, built per test because the digits (a PIN the server just
 * allocated) are only known at run time. Digits go out as RFC 4733 events from SIPp's own pcaps.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dtmfPcap } from './support/sipp.js';

const SDP = `v=0
o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-16
a=sendrecv`;

const OK_TO_BYE = `<recv request="BYE"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
Content-Length: 0
]]></send>`;

/** Play `keys` as RFC 4733 events, `gapMs` apart (no pause after the last: a BYE may follow at once). */
function keysXml(keys: string, gapMs: number): string {
  return [...keys]
    .map((k) => `<nop><action><exec play_pcap_audio="${dtmfPcap(k)}"/></action></nop>`)
    .join(`\n  <pause milliseconds="${gapMs}"/>\n  `);
}

/** What the calling SIPp does once the call is up. */
export interface UacPlan {
  /** Key groups, each preceded by a pause (e.g. the PIN after the prompts). */
  keys: Array<{ afterMs: number; keys: string }>;
  /** After the keys: stay `holdMs` then hang up (BYE), or wait for the server's BYE. */
  end: { hangupAfterMs: number } | 'wait-bye';
  /** The To header's user, when it differs from the Request-URI's (a carrier that retargets keeps the original). */
  toUser?: string;
}

/** A UAC calling [service] at the remote, pressing keys, then hanging up or waiting for BYE. */
export function uacScenario(plan: UacPlan): string {
  const keys = plan.keys
    .map((k) => `<pause milliseconds="${k.afterMs}"/>\n  ${keysXml(k.keys, 400)}`)
    .join('\n  ');
  const end =
    plan.end === 'wait-bye'
      ? OK_TO_BYE
      : `<pause milliseconds="${plan.end.hangupAfterMs}"/>
  <send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: sipp <sip:+14155550100@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: 2 BYE
Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
Max-Forwards: 70
Content-Length: 0
]]></send>
  <recv response="200" crlf="true"/>`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="agora uac">
  <send retrans="500"><![CDATA[
INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=z9hG4bK-inv1-[call_number]-[pid];rport
From: sipp <sip:+14155550100@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
To: <sip:${plan.toUser ?? '[service]'}@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

${SDP}
]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rrs="true" rtd="true"/>
  <send><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: sipp <sip:+14155550100@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: 1 ACK
Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
Max-Forwards: 70
Content-Length: 0
]]></send>
  ${keys}
  ${end}
</scenario>
`;
}

/** The far end keeps ringing until the caller gives up (CANCEL → 200, 487, ACK). */
const RING_UNTIL_CANCEL = `<recv request="CANCEL"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0
]]></send>
  <send><![CDATA[
SIP/2.0 487 Request Terminated
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
CSeq: [$inv_cseq] INVITE
Content-Length: 0
]]></send>
  <recv request="ACK"/>`;

/**
 * A UAS the server dials: answers (pressing `keys` `afterMs` later) and waits for BYE, rejects with a status,
 * or rings until cancelled.
 */
export function uasScenario(o: { reject: number } | { keys: string; afterMs: number } | 'ring'): string {
  const head = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="agora uas">
  <recv request="INVITE" crlf="true" rrs="true">${o === 'ring' ? '\n    <action><ereg regexp="[0-9]+" search_in="hdr" header="CSeq:" check_it="true" assign_to="inv_cseq"/></action>\n  ' : ''}</recv>`;
  const reply = (status: string, body: string): string => `<send${body ? ' retrans="500"' : ''}><![CDATA[
SIP/2.0 ${status}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[local_ip]:[local_port];transport=[transport]>
${body ? `Content-Type: application/sdp\nContent-Length: [len]\n\n${body}` : 'Content-Length: 0\n'}
]]></send>`;
  if (o === 'ring') {
    return `${head}
  ${reply('180 Ringing', '')}
  ${RING_UNTIL_CANCEL}
</scenario>
`;
  }
  if ('reject' in o) {
    return `${head}
  ${reply(`${o.reject} Busy Here`, '')}
  <recv request="ACK"/>
</scenario>
`;
  }
  return `${head}
  ${reply('180 Ringing', '')}
  ${reply('200 OK', SDP)}
  <recv request="ACK" crlf="true"/>
  <pause milliseconds="${o.afterMs}"/>
  ${keysXml(o.keys, 400)}
  ${OK_TO_BYE}
</scenario>
`;
}

/** Write scenarios to a temp folder; `cleanup` removes it. */
export function scenarioDir(): { write(name: string, xml: string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'agora-sipp-'));
  return {
    write(name, xml) {
      const path = join(dir, `${name}.xml`);
      writeFileSync(path, xml);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
