/**
 * The far end of bench:media, run as its own process (`node --import tsx bench/media-sink.ts <sockets>`) so
 * that the process under test is the media engine alone: RTP/RTCP socket pairs that count every leg's packets
 * (loss per leg by RTP sequence numbers, RFC 3550 §A.1, keyed by SSRC), send each leg one RFC 4733 digit
 * on request, and play a peer that is heard now and then: an RFC 3389 comfort-noise packet to every leg at a
 * fixed interval, from the address the leg sends to, so the legs latch it (symmetric RTP, RFC 4961) and keep it
 * live. Talks to the bench over the fork IPC channel.
 */
import { createSocket, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';

/** Messages the bench sends to the sink. */
export type SinkCommand =
  | { cmd: 'reset' }
  | { cmd: 'stats' }
  | { cmd: 'exit' }
  /** Send '1' to every target, start times spread evenly over `spreadMs` (callers do not all press at once). */
  | { cmd: 'dtmf'; targets: SinkTarget[]; spreadMs: number }
  /** One comfort-noise packet to every target each `everyMs`, spread evenly (0: stop). */
  | { cmd: 'peer'; targets: SinkTarget[]; everyMs: number };

/** A leg the sink talks to: its RTP port and the index of the sink socket it sends to. */
export interface SinkTarget {
  port: number;
  sink: number;
}

/** What the sink reports for the current window. */
export interface SinkStats {
  received: number;
  lost: number;
  streams: number;
  streamsWithLoss: number;
  rtcp: number;
  dtmfPackets: number;
  /** Comfort-noise packets the sink sent as the legs' peer. */
  cnPackets: number;
  /** |arrival interval − 20 ms| quantiles over all streams. */
  arrP50: number;
  arrP99: number;
  /** The sink process's CPU over the window (% of one core). */
  cpuPct: number;
}

/** First message: the RTP ports the sink listens on (RTCP on each + 1). */
export interface SinkReady {
  ports: number[];
}

const BUCKET_MS = 0.05;
const BUCKETS = 2000;

interface Stream {
  next: number;
  last: number;
  lost: number;
}

function bind(port: number): Promise<Socket | null> {
  return new Promise((resolve) => {
    const s = createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
    s.once('error', () => {
      s.close();
      resolve(null);
    });
    s.bind({ port, address: '127.0.0.1', exclusive: true }, () => resolve(s));
  });
}

/** An RTP socket on an even port and its RTCP neighbour (RFC 3550 §11), so legs' RTCP lands somewhere. */
async function bindPair(): Promise<[Socket, Socket]> {
  for (let tries = 0; tries < 200; tries++) {
    const rtp = await bind(0);
    if (!rtp) continue;
    const port = rtp.address().port;
    const rtcp = port % 2 === 0 && port < 65535 ? await bind(port + 1) : null;
    if (rtcp) return [rtp, rtcp];
    rtp.close();
  }
  throw new Error('no RTP/RTCP port pair free');
}

async function main(): Promise<void> {
  const count = Math.max(1, Math.min(64, Number(process.argv[2] ?? 4)));
  const streams = new Map<number, Stream>();
  const hist = new Float64Array(BUCKETS + 1);
  let total = 0;
  let received = 0;
  let rtcp = 0;
  let dtmfPackets = 0;
  let cnPackets = 0;
  let peerTimer: ReturnType<typeof setInterval> | undefined;
  /** One RTP sequence per target (CN and digits share the SSRC, so they share the numbering). */
  const seqs = new Map<number, number>();
  const nextSeq = (port: number): number => {
    const s = seqs.get(port) ?? 1;
    seqs.set(port, (s + 1) & 0xffff);
    return s;
  };
  let cpu0 = process.cpuUsage();
  let t0 = performance.now();
  const onRtp = (m: Buffer): void => {
    if (m.length < 12 || ((m[1] as number) & 0x7f) > 8) return;
    const now = performance.now();
    const ssrc = m.readUInt32BE(8);
    const seq = m.readUInt16BE(2);
    received++;
    const st = streams.get(ssrc);
    if (!st) {
      streams.set(ssrc, { next: (seq + 1) & 0xffff, last: now, lost: 0 });
      return;
    }
    if (seq !== st.next) st.lost += (seq - st.next) & 0xffff;
    const d = Math.abs(now - st.last - 20);
    const b = Math.min(BUCKETS, Math.floor(d / BUCKET_MS));
    hist[b] = (hist[b] as number) + 1;
    total++;
    st.next = (seq + 1) & 0xffff;
    st.last = now;
  };
  const socks: Socket[] = [];
  for (let i = 0; i < count; i++) {
    const [rtp, rtcpSock] = await bindPair();
    rtp.on('message', onRtp);
    rtcpSock.on('message', () => rtcp++);
    socks.push(rtp, rtcpSock);
  }
  const quantile = (q: number): number => {
    let acc = 0;
    for (let i = 0; i <= BUCKETS; i++) {
      acc += hist[i] as number;
      if (acc >= q * total && total > 0) return (i + 1) * BUCKET_MS;
    }
    return 0;
  };
  // RFC 4733 §2.5: marker on the first packet, an update every 50 ms, the end packet three times.
  const event = (s: Socket, port: number, marker: boolean, end: boolean, dur: number): void => {
    const b = Buffer.alloc(16);
    b[0] = 0x80;
    b[1] = (marker ? 0x80 : 0) | 101;
    b.writeUInt16BE(nextSeq(port), 2);
    b.writeUInt32BE(8000, 4);
    b.writeUInt32BE(0x40000000 + port, 8);
    b[12] = 1;
    b[13] = (end ? 0x80 : 0) | 10;
    b.writeUInt16BE(dur, 14);
    dtmfPackets++;
    s.send(b, port, '127.0.0.1');
  };
  const digit = (s: Socket, port: number): void => {
    event(s, port, true, false, 160);
    setTimeout(() => event(s, port, false, false, 560), 50);
    setTimeout(() => [0, 1, 2].forEach(() => event(s, port, false, true, 800)), 100);
  };
  // RFC 3389 §3: payload type 13, one octet of noise level (-dBov); same SSRC as the digits.
  const comfortNoise = (s: Socket, port: number): void => {
    const b = Buffer.alloc(13);
    const seq = nextSeq(port);
    b[0] = 0x80;
    b[1] = 13;
    b.writeUInt16BE(seq, 2);
    b.writeUInt32BE((seq * 160) >>> 0, 4);
    b.writeUInt32BE(0x40000000 + port, 8);
    b[12] = 90;
    cnPackets++;
    s.send(b, port, '127.0.0.1');
  };
  const peer = (targets: SinkTarget[], everyMs: number): void => {
    clearInterval(peerTimer);
    if (everyMs <= 0 || targets.length === 0) return;
    const stepMs = 10;
    const perStep = (targets.length * stepMs) / everyMs;
    let next = 0;
    // Whole packets due so far: each target gets one every everyMs, whatever the count.
    let due = 1;
    const step = (): void => {
      for (; due >= 1; due--) {
        const t = targets[next++ % targets.length] as SinkTarget;
        comfortNoise(socks[2 * (t.sink % count)] as Socket, t.port);
      }
      due += perStep;
    };
    step();
    peerTimer = setInterval(step, stepMs);
  };
  process.on('message', (msg: SinkCommand) => {
    if (msg.cmd === 'reset') {
      received = 0;
      rtcp = 0;
      dtmfPackets = 0;
      cnPackets = 0;
      total = 0;
      hist.fill(0);
      for (const st of streams.values()) st.lost = 0;
      cpu0 = process.cpuUsage();
      t0 = performance.now();
    } else if (msg.cmd === 'stats') {
      const cpu = process.cpuUsage(cpu0);
      let lost = 0;
      let withLoss = 0;
      for (const st of streams.values()) {
        lost += st.lost;
        if (st.lost > 0) withLoss++;
      }
      const stats: SinkStats = {
        received,
        lost,
        streams: streams.size,
        streamsWithLoss: withLoss,
        rtcp,
        dtmfPackets,
        cnPackets,
        arrP50: quantile(0.5),
        arrP99: quantile(0.99),
        cpuPct: ((cpu.user + cpu.system) / 1000 / (performance.now() - t0)) * 100,
      };
      process.send?.(stats);
    } else if (msg.cmd === 'dtmf') {
      const n = msg.targets.length;
      msg.targets.forEach((t, i) => {
        const s = socks[2 * (t.sink % count)] as Socket;
        setTimeout(() => digit(s, t.port), (i * msg.spreadMs) / Math.max(1, n));
      });
    } else if (msg.cmd === 'peer') {
      peer(msg.targets, msg.everyMs);
    } else if (msg.cmd === 'exit') {
      clearInterval(peerTimer);
      for (const s of socks) s.close();
      process.exit(0);
    }
  });
  // The bench died: do not linger.
  process.on('disconnect', () => process.exit(0));
  const ready: SinkReady = { ports: socks.filter((_, i) => i % 2 === 0).map((s) => s.address().port) };
  process.send?.(ready);
}

void main();
