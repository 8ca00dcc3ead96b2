/**
 * Interpreter benchmark: statements per second on a loop of cheap statements (set / if / a no-op step /
 * goto), median of 5 runs, against a plain-JS cost floor; and heap per idle session with 10,000 sessions
 * parked on a waiting step, each with a simulated call. Run: `npm run bench:interpreter [-- --short]`.
 */
import { createSimulatedEngine } from '../src/engines/simulated/index.js';
import { seededRandom } from '../src/runtime/random.js';
import { Session } from '../src/runtime/session.js';
import type { StepRun } from '../src/runtime/step-context.js';
import { systemClock } from '../src/runtime/system-clock.js';
import { x } from '../src/runtime/testing/expr.js';
import { flow, s, t } from '../src/runtime/testing/ir.js';
import { noSessions } from '../src/runtime/testing/session-harness.js';

const short = process.argv.includes('--short');
const ITERATIONS = short ? 100_000 : 400_000;
const STATEMENTS_PER_ITERATION = 5;
const IDLE_SESSIONS = 10_000;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('run with node --expose-gc (npm run bench:interpreter)');
  process.exit(2);
}

const loop = flow('bench-loop', {
  main: [
    s.set('i', x.bin('+', x.v('i'), x.num(1))),
    s.if(x.bin('>', x.v('i'), x.v('n')), t.goto('done')),
    s.step('log', { message: x.str('tick') }, { ok: t.cont() }),
    s.set('acc', x.bin('+', x.v('acc'), x.v('i'))),
    s.goto('main'),
  ],
  done: [s.end()],
});

const noop: StepRun = () => Promise.resolve({ outcome: 'ok' });

async function runLoop(): Promise<number> {
  const engine = createSimulatedEngine();
  const session = new Session({
    id: 'bench',
    flow: loop,
    version: '1',
    entry: loop.entries[0]!,
    vars: { i: 0, n: ITERATIONS, acc: 0 },
    ports: { ...engine.ports, clock: systemClock },
    sessions: noSessions,
    runners: { log: noop },
    flowDir: '.',
    random: seededRandom(1),
    limits: { maxTransitions: Number.POSITIVE_INFINITY, traceSize: 200 },
  });
  const t0 = performance.now();
  session.start();
  const r = await session.done;
  const ms = performance.now() - t0;
  if (r.cause !== 'completed' || session.scope.vars.i !== ITERATIONS + 1) throw new Error(`bench flow failed: ${JSON.stringify(r)}`);
  return ((ITERATIONS * STATEMENTS_PER_ITERATION) / ms) * 1000;
}

function baseline(): number {
  const vars = new Map<string, number>([
    ['i', 0],
    ['n', ITERATIONS],
    ['acc', 0],
  ]);
  const fns: Array<(a: number, b: number) => unknown> = [(v) => v + 1, (v) => v > ITERATIONS, () => 'ok', (a, b) => a + b, () => 'main'];
  const t0 = performance.now();
  let sink = 0;
  for (;;) {
    vars.set('i', fns[0]!(vars.get('i')!, 0) as number);
    if (fns[1]!(vars.get('i')!, 0)) break;
    if (fns[2]!(0, 0) === 'ok') sink++;
    vars.set('acc', fns[3]!(vars.get('acc')!, vars.get('i')!) as number);
    if (fns[4]!(0, 0) !== 'main') sink--;
  }
  const ms = performance.now() - t0;
  if (sink !== ITERATIONS) throw new Error('baseline broken');
  return ((ITERATIONS * STATEMENTS_PER_ITERATION) / ms) * 1000;
}

async function idleMemory(): Promise<{ perSession: number; withCall: number; sessions: number }> {
  const engine = createSimulatedEngine();
  const parked = flow('bench-idle', {
    main: [s.set('greeting', x.str('hello ', x.v('call.from'))), s.step('wait', { duration: x.dur(3_600_000) }, { done: t.end() })],
  });
  const wait: StepRun = (ctx) => new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error), { once: true }));
  const sessions: Session[] = [];
  gc!();
  const beforeLegs = process.memoryUsage().heapUsed;
  const legs = Array.from({ length: IDLE_SESSIONS }, (_, i) => engine.inboundCall({ id: `idle-${i}` }));
  await new Promise((r) => setImmediate(r));
  gc!();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < IDLE_SESSIONS; i++) {
    const leg = legs[i]!;
    sessions.push(
      new Session({
        id: `idle-${i}`,
        flow: parked,
        version: '1',
        entry: parked.entries[0]!,
        vars: { call: { ...leg.info } },
        ports: engine.ports,
        sessions: noSessions,
        runners: { wait },
        call: leg,
        flowDir: '.',
        random: seededRandom(i),
      }).start(),
    );
  }
  await new Promise((r) => setImmediate(r));
  gc!();
  const after = process.memoryUsage().heapUsed;
  const parkedOk = sessions.every((x) => x.currentStep?.step === 'wait');
  if (!parkedOk) throw new Error('sessions are not parked on wait');
  for (const x of sessions) x.stop();
  await Promise.all(sessions.map((x) => x.done));
  return { perSession: (after - before) / IDLE_SESSIONS, withCall: (after - beforeLegs) / IDLE_SESSIONS, sessions: sessions.length };
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

await runLoop(); // warm-up
const rates: number[] = [];
const floors: number[] = [];
for (let i = 0; i < 5; i++) {
  rates.push(await runLoop());
  floors.push(baseline());
}
const rate = median(rates);
const floor = median(floors);
const mem = await idleMemory();
console.log(`interpreter: ${Math.round(rate).toLocaleString('en-US')} statements/s (median of 5, ${ITERATIONS * STATEMENTS_PER_ITERATION} statements per run; target ≥ 1,000,000)`);
console.log(`cost floor (plain JS: Map lookups + calls): ${Math.round(floor).toLocaleString('en-US')} ops/s; interpreter is ${(floor / rate).toFixed(1)}x the floor`);
console.log(`idle session: ${(mem.perSession / 1024).toFixed(2)} KB heap per session (${mem.sessions} sessions parked on a wait step with a simulated call; target ≤ 20 KB); ${(mem.withCall / 1024).toFixed(2)} KB counting the simulated call leg too`);
