/**
 * Basic RTCP sending (RFC 3550 §6.4): a compound SR (or RR when we are not sending) with one report block for
 * the latched source, plus SDES CNAME (§6.5, required in every compound packet). Peers and carriers use it for
 * liveness and quality; we ignore what they send back beyond counting it.
 */
/** Seconds from 1900 (NTP era 0) to 1970 (Unix epoch). */
const NTP_UNIX_OFFSET = 2208988800;

/** Our sending side for an SR. */
export interface SenderInfo {
  ssrc: number;
  rtpTs: number;
  packets: number;
  octets: number;
  sending: boolean;
}

/** The latched source's reception figures (RtpReceiver.reception()). */
export interface Reception {
  ssrc: number;
  extendedMax: number;
  expected: number;
  received: number;
  jitter: number;
}

/** Builds successive reports for one leg (fraction lost is per interval, §6.4.1). */
export class RtcpReporter {
  private prevExpected = 0;
  private prevReceived = 0;
  private readonly cname: Buffer;

  constructor(cname: string) {
    this.cname = Buffer.from(cname.slice(0, 255), 'utf8');
  }

  /** One compound packet. */
  build(me: SenderInfo, rx: Reception | null, nowUnixMs: number = Date.now()): Buffer {
    const blocks = rx ? 1 : 0;
    const head = me.sending ? 28 : 8;
    const reportLen = head + blocks * 24;
    const sdesRaw = 4 + 4 + 2 + this.cname.length + 1;
    const sdesLen = Math.ceil(sdesRaw / 4) * 4;
    const buf = Buffer.alloc(reportLen + sdesLen);
    buf[0] = 0x80 | blocks;
    buf[1] = me.sending ? 200 : 201;
    buf.writeUInt16BE(reportLen / 4 - 1, 2);
    buf.writeUInt32BE(me.ssrc >>> 0, 4);
    if (me.sending) {
      const secs = nowUnixMs / 1000 + NTP_UNIX_OFFSET;
      const msw = Math.floor(secs);
      buf.writeUInt32BE(msw >>> 0, 8);
      buf.writeUInt32BE(Math.floor((secs - msw) * 0x100000000) >>> 0, 12);
      buf.writeUInt32BE(me.rtpTs >>> 0, 16);
      buf.writeUInt32BE(me.packets >>> 0, 20);
      buf.writeUInt32BE(me.octets >>> 0, 24);
    }
    if (rx) {
      const o = head;
      const expectedInt = rx.expected - this.prevExpected;
      const receivedInt = rx.received - this.prevReceived;
      this.prevExpected = rx.expected;
      this.prevReceived = rx.received;
      const lostInt = expectedInt - receivedInt;
      const fraction =
        expectedInt <= 0 || lostInt <= 0 ? 0 : Math.min(255, Math.floor((lostInt * 256) / expectedInt));
      const cumLost = Math.max(-0x800000, Math.min(0x7fffff, rx.expected - rx.received));
      buf.writeUInt32BE(rx.ssrc >>> 0, o);
      buf.writeUInt32BE(((fraction << 24) | (cumLost & 0xffffff)) >>> 0, o + 4);
      buf.writeUInt32BE(rx.extendedMax >>> 0, o + 8);
      buf.writeUInt32BE(Math.round(rx.jitter) >>> 0, o + 12);
      // LSR / DLSR stay 0: we do not track the peer's SRs (allowed, §6.4.1).
    }
    const s = reportLen;
    buf[s] = 0x81;
    buf[s + 1] = 202;
    buf.writeUInt16BE(sdesLen / 4 - 1, s + 2);
    buf.writeUInt32BE(me.ssrc >>> 0, s + 4);
    buf[s + 8] = 1;
    buf[s + 9] = this.cname.length;
    this.cname.copy(buf, s + 10);
    // The item list ends with a zero octet and zero padding to the 32-bit boundary (already zeroed).
    return buf;
  }
}
