/**
 * What the media engine's own JavaScript costs per RTP packet: N legs each play a looped prompt (as in
 * bench:media) while `dgram` sends are replaced by a counter, so the CPU left is the pacer, the sources, G.711
 * and the RTP header, without the kernel's part. Prints CPU µs per packet for several windows and their median.
 * Profile it with a sampling interval that does not divide 1 ms (`node --cpu-prof --cpu-prof-interval 97`):
 * at the default interval the samples fall in step with the 1 ms pacer wake-ups and miss the sends.
 *
 *   npx tsx bench/media-js.ts [legs=1000] [windows=5] [seconds=3]
 */
import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMediaEngine } from '../src/engines/embedded/media/index.js';
import { writePrompt } from './media-steps.js';

const legs = Math.max(1, Math.min(4000, Number(process.argv[2] ?? 1000)));
const windows = Math.max(1, Math.min(20, Number(process.argv[3] ?? 5)));
const seconds = Math.max(1, Math.min(30, Number(process.argv[4] ?? 3)));

let sends = 0;
// Every send of every socket in this process: the engine's RTP and RTCP (the few RTCP reports are counted too).
(dgram.Socket.prototype as unknown as { send: () => void }).send = () => {
  sends++;
};

const dir = mkdtempSync(join(tmpdir(), 'callflow-media-js-'));
const wav = writePrompt(dir);

const engine = createMediaEngine({ portMin: 44000, portMax: 44000 + 2 * legs + 64, localAddress: '127.0.0.1' });
for (let i = 0; i < legs; i++) {
  const leg = await engine.createLeg({ telephoneEventPt: 101 });
  leg.setRemote('127.0.0.1', 9);
  const ep = engine.endpoint(leg);
  ep.onDigit(() => undefined);
  void ep.play(wav, { loop: 100_000 });
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
await sleep(1500);

const perPacket: number[] = [];
for (let i = 0; i < windows; i++) {
  const s0 = sends;
  const c0 = process.cpuUsage();
  await sleep(seconds * 1000);
  const c = process.cpuUsage(c0);
  perPacket.push((c.user + c.system) / Math.max(1, sends - s0));
}
const sorted = [...perPacket].sort((a, b) => a - b);
process.stdout.write(
  `media JS per packet, ${legs} legs, ${windows} × ${seconds} s, sends stubbed (${cpus()[0]?.model ?? 'cpu'}, node ${process.version})\n` +
    `windows (µs/packet): ${perPacket.map((x) => x.toFixed(2)).join(' ')}\n` +
    `median ${sorted[sorted.length >> 1]!.toFixed(2)} µs/packet, fastest ${sorted[0]!.toFixed(2)}\n`,
);
await engine.close();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
