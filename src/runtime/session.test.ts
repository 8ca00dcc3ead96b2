import { describe, expect, it } from 'vitest';
import { sleep } from '../ports/clock.js';
import type { StepContext, StepRun } from './step-context.js';
import { lit, x } from './testing/expr.js';
import { flow, s, t } from './testing/ir.js';
import { recordingExchange, startSession } from './testing/session-harness.js';
import { formatRange, type TraceEvent } from './trace.js';

const ok: StepRun = () => Promise.resolve({ outcome: 'ok' });
/** Resolves with the outcomes given, in order (the last repeats). */
function scripted(...outcomes: Array<string | { outcome: string; value?: unknown }>): StepRun & { calls: number } {
  const run = Object.assign(
    (): Promise<{ outcome: string; value?: unknown }> => {
      const o = outcomes[Math.min(run.calls++, outcomes.length - 1)] ?? 'ok';
      return Promise.resolve(typeof o === 'string' ? { outcome: o } : o);
    },
    { calls: 0 },
  );
  return run;
}
/** Never settles by itself; records its context so tests can check the signal. */
function hanging(): StepRun & { ctx?: StepContext } {
  const run: StepRun & { ctx?: StepContext } = (ctx) => {
    run.ctx = ctx;
    return new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error)));
  };
  return run;
}
const types = (ev: TraceEvent[]): string[] => ev.map((e) => e.type);
const states = (ev: TraceEvent[]): string[] => ev.filter((e) => e.type === 'state.enter').map((e) => String(e.state));

describe('session interpreter', () => {
  it('routes outcomes, continues, and runs set/if/switch', async () => {
    const ir = flow('route', {
      main: [
        s.set('n', x.num(1)),
        s.set('a.b.c', x.str('deep')),
        s.step('ask', {}, { ok: t.cont(), bad: t.goto('other') }),
        s.if(x.bin('==', x.v('n'), x.num(2)), t.goto('other')),
        s.switch(x.v('n'), [{ values: [x.num(5), x.num(1)], to: t.goto('picked') }], t.goto('other')),
      ],
      other: [s.end()],
      picked: [s.set('n', x.bin('+', x.v('n'), x.num(10))), s.step('ask', {}, { ok: t.end(), bad: t.end() })],
    });
    const { session, engine } = startSession(ir, { runners: { ask: ok } });
    const r = await engine.clock.run(session.done);
    expect(r.cause).toBe('completed');
    expect(session.scope.vars.n).toBe(11);
    expect(session.scope.vars.a).toEqual({ b: { c: 'deep' } });
    const ev = session.trace.events();
    expect(states(ev)).toEqual(['main', 'picked']);
    expect(ev.filter((e) => e.type === 'step.done').map((e) => e.outcome)).toEqual(['ok', 'ok']);
    expect(types(ev).at(-1)).toBe('session.end');
  });

  it('takes a bounded transition at most max times, then else', async () => {
    const ask = scripted('bad');
    const ir = flow('retry', {
      main: [s.step('ask', {}, { ok: t.end(), bad: t.bounded('main-retry', 3, t.goto('main'), t.goto('bye')) })],
      bye: [s.set('gaveUp', x.bool(true)), s.end()],
    });
    const { session, engine } = startSession(ir, { runners: { ask } });
    await engine.clock.run(session.done);
    expect(ask.calls).toBe(4);
    expect(session.scope.vars.gaveUp).toBe(true);
    const bounded = session.trace.events().filter((e) => e.type === 'bounded');
    expect(bounded.map((e) => [e.count, e.taken])).toEqual([
      [1, 'then'],
      [2, 'then'],
      [3, 'then'],
      [3, 'else'],
    ]);
  });

  it('assigns into and last, with catalog defaults applied to arguments', async () => {
    let seen: Readonly<Record<string, unknown>> = {};
    const ir = flow('into', {
      main: [
        s.step('store-get', { key: x.str('k') }, { found: t.cont(), missing: t.end() }, 'val'),
        s.step('log', { message: x.str('got ', x.v('val.x'), ' via ', x.v('last.step')) }, { ok: t.end() }),
      ],
    });
    const { session, engine } = startSession(ir, {
      runners: {
        'store-get': scripted({ outcome: 'found', value: { x: 42 } }),
        log: (ctx) => {
          seen = ctx.args;
          return Promise.resolve({ outcome: 'ok' });
        },
      },
    });
    await engine.clock.run(session.done);
    expect(seen).toEqual({ message: 'got 42 via store-get', level: 'info' });
    expect(session.scope.vars.last).toEqual({ step: 'log', outcome: 'ok', value: null });
  });

  it('lets steps evaluate expressions with extra bindings', async () => {
    let mapped: unknown;
    const ir = flow('eval', { main: [s.step('lookup', { map: x.obj({ ch: x.v('response.body.channel'), who: x.v('who') }) }, { found: t.end() })] });
    const { session, engine } = startSession(ir, {
      vars: { who: 'ann' },
      runners: {
        lookup: (ctx) => {
          const m = ctx.argExprs.map;
          mapped = m ? ctx.evaluate(m, { response: { body: { channel: 'c1' } } }) : undefined;
          return Promise.resolve({ outcome: 'found' });
        },
      },
    });
    await engine.clock.run(session.done);
    expect(mapped).toEqual({ ch: 'c1', who: 'ann' });
  });

  it('ends: hangs up the call (cause completed) and answers a pending HTTP request with 500', async () => {
    const ir = flow('end', { main: [s.step('answer', {}, { ok: t.cont() }), s.end()] });
    const { session, engine, call } = startSession(ir, { runners: { answer: (ctx) => ctx.call!.answer().then(() => ({ outcome: 'ok' })) }, call: true });
    expect((await engine.clock.run(session.done)).cause).toBe('completed');
    expect(call?.state).toBe('ended');
    expect(await call?.ended).toEqual({ cause: 'local-hangup' });

    const http = recordingExchange();
    const h = startSession(flow('http', { main: [s.end()] }), { runners: {}, http });
    await h.engine.clock.run(h.session.done);
    expect(http.sent).toEqual([{ status: 500, body: { error: 'the flow ended without responding' } }]);
  });

  it('ends after a terminal step with the call hung up', async () => {
    const ir = flow('term', { main: [s.step('hangup', {}, {})] });
    const { session, engine } = startSession(ir, { runners: { hangup: (ctx) => ctx.call!.hangup().then(() => ({ outcome: 'ended' })) }, call: true });
    expect((await engine.clock.run(session.done)).cause).toBe('local-hangup');
  });

  it('a far-end hangup mid-step aborts the step and ends the session cleanly', async () => {
    const wait = hanging();
    const ir = flow('far', { main: [s.step('wait', { duration: x.dur(60_000) }, { done: t.end() })] });
    const { session, engine, call } = startSession(ir, { runners: { wait }, call: true });
    await engine.clock.advance(1000);
    expect(session.currentStep?.step).toBe('wait');
    call?.endFromFar();
    const r = await engine.clock.run(session.done);
    expect(r).toEqual({ cause: 'remote-hangup' });
    expect(wait.ctx?.signal.aborted).toBe(true);
    expect(session.trace.events().some((e) => e.type === 'error')).toBe(false);
  });

  it('a step failing because the call ended is a clean remote hangup, not an error', async () => {
    const ir = flow('far2', { main: [s.step('prompt', {}, { done: t.end() })] });
    const { session, engine, call } = startSession(ir, {
      call: true,
      runners: { prompt: (ctx) => sleep(ctx.ports.clock, 500).then(() => Promise.reject(new Error('play failed: call gone'))) },
    });
    await engine.clock.advance(100);
    call?.endFromFar();
    expect(await engine.clock.run(session.done)).toEqual({ cause: 'remote-hangup' });
  });

  it('enforces the maximum duration: hangs up with cause max-duration', async () => {
    const wait = hanging();
    const ir = flow('max', { main: [s.step('wait', {}, { done: t.end() })] });
    const { session, engine, call } = startSession(ir, { runners: { wait }, call: true, limits: { maxDurationMs: 5000 } });
    const r = await engine.clock.run(session.done);
    expect(r.cause).toBe('max-duration');
    expect(engine.clock.monotonic()).toBe(5000);
    expect(await call?.ended).toMatchObject({ cause: 'max-duration' });
    expect(wait.ctx?.signal.aborted).toBe(true);
    expect(engine.clock.pendingTimers()).toBe(0);
  });

  it('times a step out into its timeout/error/failed outcome, else ends with an error', async () => {
    const slow = hanging();
    const ir = flow('slow', { main: [s.step('slow', {}, { ok: t.end(), error: t.goto('recover') })], recover: [s.set('recovered', x.bool(true)), s.end()] });
    const a = startSession(ir, { runners: { slow }, limits: { stepTimeoutMs: { slow: 2000 } } });
    expect((await a.engine.clock.run(a.session.done)).cause).toBe('completed');
    expect(a.session.scope.vars.recovered).toBe(true);
    expect(a.engine.clock.monotonic()).toBe(2000);
    expect(slow.ctx?.signal.aborted).toBe(true);

    const b = startSession(flow('slow2', { main: [s.step('slow', {}, { ok: t.end() })] }), { runners: { slow: hanging() }, limits: { defaultStepTimeoutMs: 700 } });
    const r = await b.engine.clock.run(b.session.done);
    expect(r.cause).toBe('error');
    expect(r.error).toMatch(/did not finish within 700 ms/);
  });

  it('turns expression errors into a trace error at file:line:col and ends with cause error', async () => {
    const ir = flow('bad', { main: [s.set('x', x.num(1)), s.set('y', x.bin('/', x.v('x'), x.num(0))), s.end()] }, { file: 'flows/bad.flow' });
    const { session, engine } = startSession(ir, { runners: {} });
    const r = await engine.clock.run(session.done);
    expect(r.cause).toBe('error');
    expect(r.error).toBe('division by zero');
    const err = session.trace.events().find((e) => e.type === 'error');
    expect(err?.message).toBe('division by zero');
    expect(formatRange(err?.range)).toBe('test.flow:1:1');
  });

  it('no exception escapes: throwing runners, bad outcomes, missing runners and states', async () => {
    const cases: Array<[string, Record<string, StepRun>, RegExp]> = [
      ['throws', { a: () => { throw new Error('boom'); } }, /a failed: boom/],
      ['rejects', { a: () => Promise.reject(new Error('nope')) }, /a failed: nope/],
      ['unrouted', { a: () => Promise.resolve({ outcome: 'weird' }) }, /outcome 'weird'/],
      ['no outcome', { a: () => Promise.resolve(undefined as unknown as { outcome: string }) }, /without an outcome/],
      ['missing runner', {}, /no runner for step 'a'/],
    ];
    for (const [, runners, msg] of cases) {
      const { session, engine } = startSession(flow('e', { main: [s.step('a', {}, { ok: t.end() })] }), { runners });
      const r = await engine.clock.run(session.done);
      expect(r.cause).toBe('error');
      expect(r.error).toMatch(msg);
      expect(session.trace.events().filter((e) => e.type === 'error')).toHaveLength(1);
    }
    const m = startSession(flow('m', { main: [s.goto('nowhere')] }), { runners: {} });
    expect((await m.engine.clock.run(m.session.done)).error).toMatch(/no state named 'nowhere'/);
  });

  it('guards against runaway loops', async () => {
    const ir = flow('loop', { a: [s.goto('b')], b: [s.goto('a')] });
    const { session, engine } = startSession(ir, { runners: {}, limits: { maxTransitions: 50 } });
    const r = await engine.clock.run(session.done);
    expect(r.cause).toBe('error');
    expect(r.error).toMatch(/more than 50 transitions/);
  });

  it('stop() aborts the running step and hangs up', async () => {
    const wait = hanging();
    const { session, engine, call } = startSession(flow('stop', { main: [s.step('wait', {}, { done: t.end() })] }), { runners: { wait }, call: true });
    await engine.clock.advance(10);
    session.stop();
    expect((await engine.clock.run(session.done)).cause).toBe('stopped');
    expect(wait.ctx?.signal.aborted).toBe(true);
    expect(call?.state).toBe('ended');
  });

  it('ignores a late result from a step that was already abandoned', async () => {
    let finish: (() => void) | undefined;
    const late: StepRun = () => new Promise((resolve) => (finish = () => resolve({ outcome: 'ok' })));
    const ir = flow('late', { main: [s.step('late', {}, { ok: t.goto('after'), error: t.goto('timedout') })], after: [s.set('wrong', x.bool(true)), s.end()], timedout: [s.step('wait', {}, { done: t.end() })] });
    const wait = hanging();
    const { session, engine } = startSession(ir, { runners: { late, wait }, limits: { stepTimeoutMs: { late: 100 } } });
    await engine.clock.advance(150);
    finish?.();
    await engine.clock.advance(10);
    expect(session.currentState).toBe('timedout');
    expect(session.scope.vars.wrong).toBeUndefined();
    session.stop();
    await engine.clock.run(session.done);
  });

  it('redacts secret arguments in step.start', async () => {
    const ir = flow('secret', { main: [s.step('lookup', { url: x.str('u'), headers: x.obj({ Authorization: x.str('Bearer x'), other: x.str('y') }), password: lit('p') }, { found: t.end() })] });
    const { session, engine } = startSession(ir, { runners: { lookup: () => Promise.resolve({ outcome: 'found' }) } });
    await engine.clock.run(session.done);
    const start = session.trace.events().find((e) => e.type === 'step.start');
    expect(start?.args).toMatchObject({ url: 'u', headers: { Authorization: '***', other: 'y' }, password: '***' });
  });
});
