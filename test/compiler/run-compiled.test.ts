/** End to end: flows compiled by the real compiler run on the real session runtime over the simulated engine. */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import type { FlowIr } from '../../src/compiler/ir.js';
import { recordingExchange, startSession } from '../../src/runtime/testing/session-harness.js';
import { STEP_RUNNERS } from '../../src/steps/index.js';

function compile(text: string): FlowIr {
  const out = compileSource('e2e.flow', text);
  expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(out.ir).toBeDefined();
  return out.ir!;
}

describe('compiled flows run', () => {
  it('bounded retries on a call: collect-pin times out twice, then the else branch', async () => {
    const ir = compile(`flow retry

on call to "+15550100" -> welcome

state welcome
  answer
  -> ask

state ask
  collect-pin say "Enter your PIN" max-digits 4 first-digit-timeout 2s into pin
    on timeout -> ask max 2 else -> bye
    on invalid -> bye
  set tries = 0
  -> bye

state bye
  set gave_up = true
  hangup
`);
    const { session, engine } = startSession(ir, { runners: STEP_RUNNERS, call: true });
    const result = await engine.clock.run(session.done);
    expect(result.cause).not.toBe('error');
    expect(session.scope.vars.gave_up).toBe(true);
    const events = session.trace.events();
    const bounded = events.filter((e) => e.type === 'bounded').map((e) => [e.count, e.taken]);
    expect(bounded).toEqual([
      [1, 'then'],
      [2, 'then'],
      [2, 'else'],
    ]);
    const entered = events.filter((e) => e.type === 'state.enter').map((e) => e.state);
    expect(entered).toEqual(['welcome', 'ask', 'ask', 'ask', 'bye']);
    // Trace ranges point back at the source: the collect-pin line is line 10 (0-based 9).
    const pin = events.find((e) => e.type === 'step.start' && e.step === 'collect-pin');
    expect(pin?.range?.start.line).toBe(9);
    expect(pin?.range?.file).toBe('e2e.flow');
  });

  it('an http entry with declared fields answers through respond', async () => {
    const ir = compile(`flow counter

on http POST /v1/count
  request
    name: string
    amount?: number = 1
  -> count

state count
  store-incr "n:\${name}" by amount into n
  if n > 2 -> full
  respond 200 body { name: name, n: n }
  -> end

state full
  respond 429 body { error: "too many", n: n }
  -> end
`);
    const entry = ir.entries[0];
    expect(entry?.kind).toBe('http');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const http = recordingExchange();
      const { session, engine } = startSession(ir, {
        runners: STEP_RUNNERS,
        http,
        vars: { name: 'a', amount: 1, request: { body: { name: 'a' } } },
      });
      await engine.clock.run(session.done);
      statuses.push(...http.sent.map((s) => s.status));
      if (i === 0) expect(http.sent[0]?.body).toEqual({ name: 'a', n: 1 });
    }
    // Each session has its own engine and store, so every run counts from 1.
    expect(statuses).toEqual([200, 200, 200]);
  });
});
