/**
 * bench:sip-parser: parses a typical INVITE with SDP in a bounded loop and prints messages/s
 * per CPU second (median of 5 runs; wall-clock rate shown too), next to the cost floor `buf.toString('latin1').split('\r\n')` on the same bytes.
 *
 *   npx tsx bench/sip-parser.ts            (200k iterations per run)
 *   BENCH_ITERATIONS=50000 npx tsx bench/sip-parser.ts   (short mode)
 */
import { parseMessage } from '../src/engines/embedded/sip/message/index.js';

const ITERATIONS = Math.max(1000, Math.min(2_000_000, Number(process.env.BENCH_ITERATIONS ?? 200_000)));
const RUNS = 5;

const sdp = [
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 192.0.2.10',
  's=-',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'm=audio 49170 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'a=sendrecv',
  '',
].join('\r\n');

const invite = Buffer.from(
  [
    'INVITE sip:bob@biloxi.example.com SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK74bf9;rport',
    'Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bK-proxy-1;received=192.0.2.4',
    'Max-Forwards: 69',
    'From: "Alice" <sip:alice@atlanta.example.com>;tag=9fxced76sl',
    'To: Bob <sip:bob@biloxi.example.com>',
    'Call-ID: 3848276298220188511@atlanta.example.com',
    'CSeq: 1 INVITE',
    'Contact: <sip:alice@192.0.2.10:5060;transport=udp>',
    'Record-Route: <sip:192.0.2.4;lr>',
    'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REFER, NOTIFY',
    'Supported: replaces, timer, 100rel',
    'User-Agent: callflow-bench/1.0',
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(sdp)}`,
    '',
    sdp,
  ].join('\r\n'),
);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/** CPU seconds (user + system) of one run: on a shared machine wall time mostly measures the neighbours. */
function timeRun(fn: () => number): { cpu: number; wall: number } {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const sink = fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  if (sink < 0) console.log('unreachable');
  return { cpu: (c.user + c.system) / 1e6, wall };
}

function parseLoop(): number {
  let ok = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const r = parseMessage(invite);
    if (r.ok) ok++;
  }
  if (ok !== ITERATIONS) throw new Error('benchmark message failed to parse');
  return ok;
}

function parseAndReadLoop(): number {
  let n = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const r = parseMessage(invite);
    if (r.ok) n += r.message.vias.length + r.message.cseq.seq + (r.message.toTag === undefined ? 1 : 0);
  }
  return n;
}

function splitLoop(): number {
  let n = 0;
  for (let i = 0; i < ITERATIONS; i++) n += invite.toString('latin1').split('\r\n').length;
  return n;
}

function measure(name: string, fn: () => number): number {
  fn(); // warm-up
  const runs: Array<{ cpu: number; wall: number }> = [];
  for (let r = 0; r < RUNS; r++) runs.push(timeRun(fn));
  const rate = ITERATIONS / median(runs.map((r) => r.cpu));
  const wallRate = ITERATIONS / median(runs.map((r) => r.wall));
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(11);
  console.log(`${name.padEnd(42)} ${fmt(rate)} msg/s CPU (${(1e6 / rate).toFixed(2)} µs)  ${fmt(wallRate)} msg/s wall`);
  return rate;
}

console.log(`INVITE of ${invite.length} bytes, ${ITERATIONS} iterations, median of ${RUNS} runs, node ${process.version}`);
const parse = measure('parseMessage', parseLoop);
measure('parseMessage + vias/cseq/toTag (cached)', parseAndReadLoop);
const floor = measure("floor: toString('latin1').split('\\r\\n')", splitLoop);
console.log(`parseMessage costs ${(floor / parse).toFixed(1)}x the split floor`);
