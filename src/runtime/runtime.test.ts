import { describe, expect, it } from 'vitest';
import type { CallEntryIr, FlowIr, HttpEntryIr, StartEntryIr } from '../compiler/ir.js';
import { createSimulatedEngine, type SimScript } from '../engines/simulated/index.js';
import { STEP_RUNNERS } from '../steps/index.js';
import { createHttpExchange } from './http-exchange.js';
import { seededRandom } from './random.js';
import type { FlowVersion, RegistrySnapshot } from './registry.js';
import { Runtime, type SessionEndedEvent } from './runtime.js';
import { at, x } from './testing/expr.js';
import { flow, s, t } from './testing/ir.js';

const R = at();
const callEntry = (id: string, matchers: CallEntryIr['matchers'], state: string): CallEntryIr => ({ kind: 'call', id, matchers, to: t.goto(state), range: R });

function source(flows: FlowIr[]): { get(n: string): FlowVersion | undefined; snapshot(): RegistrySnapshot } {
  const versions = flows.map((ir, i): FlowVersion => ({ name: ir.name, seq: i + 1, hash: ir.sourceHash, label: `${i + 1}-x`, ir, file: `flows/${ir.name}.flow`, loadedAt: 0, diagnostics: [] }));
  const snap: RegistrySnapshot = {
    generation: 1,
    flows: new Map(versions.map((v) => [v.name, v])),
    callRoutes: versions.flatMap((v) => v.ir.entries.filter((e): e is CallEntryIr => e.kind === 'call').map((entry) => ({ flow: v, entry }))),
    httpRoutes: versions.flatMap((v) => v.ir.entries.filter((e): e is HttpEntryIr => e.kind === 'http').map((entry) => ({ flow: v, entry }))),
  };
  return { get: (n) => snap.flows.get(n), snapshot: () => snap };
}

function setup(flows: FlowIr[], script: SimScript = {}) {
  const engine = createSimulatedEngine({ script });
  let n = 0;
  const runtime = new Runtime({
    flows: source(flows),
    ports: engine.ports,
    runners: STEP_RUNNERS,
    random: () => seededRandom(1),
    newId: () => `s${++n}`,
    config: (name) => (name === 'api' ? { greeting: 'hi' } : {}),
    env: { REGION: 'eu' },
  });
  const ended: SessionEndedEvent[] = [];
  runtime.on('session.ended', (e: SessionEndedEvent) => ended.push(e));
  return { engine, runtime, ended };
}

describe('Runtime', () => {
  const general = flow('general', { main: [s.set('who', x.str('general')), s.step('hangup', {}, {})] }, { entries: [callEntry('c1', [{ field: 'to', pattern: '+1555*' }], 'main')] });
  const specific = flow('specific', { main: [s.set('who', x.v('call.from')), s.step('hangup', {}, {})] }, { entries: [callEntry('c2', [{ field: 'to', pattern: '+15550100' }, { field: 'domain', pattern: '*.INVALID' }], 'main')] });

  it('routes a call to the most specific matching entry, or to none', async () => {
    const { engine, runtime, ended } = setup([general, specific]);
    const a = runtime.startCallSession(engine.inboundCall({ to: '+15550100', from: '+1999' }));
    expect(a?.flow.name).toBe('specific');
    const b = runtime.startCallSession(engine.inboundCall({ to: '+15550199' }));
    expect(b?.flow.name).toBe('general');
    expect(runtime.startCallSession(engine.inboundCall({ to: '+4420' }))).toBeUndefined();
    const forced = runtime.startCallSession(engine.inboundCall({ to: '+15550100' }), 'general');
    expect(forced?.flow.name).toBe('general');
    await engine.clock.run(Promise.all([a!.done, b!.done, forced!.done]));
    expect(a?.scope.vars.who).toBe('+1999');
    expect(ended.map((e) => [e.flow, e.cause])).toEqual([
      ['specific', 'local-hangup'],
      ['general', 'local-hangup'],
      ['general', 'local-hangup'],
    ]);
    expect(runtime.list()).toEqual([]);
    expect(runtime.get(a!.id)?.trace.at(-1)?.type).toBe('session.end');
  });

  it('runs an http entry: request fields, config, env and session variables; respond answers', async () => {
    const entry: HttpEntryIr = {
      kind: 'http',
      id: 'h1',
      method: 'POST',
      path: '/v1/echo/:id',
      request: [
        { name: 'name', type: { kind: 'base', name: 'string', range: R }, optional: false },
        { name: 'lang', type: { kind: 'base', name: 'string', range: R }, optional: true, default: x.str('en') },
      ],
      invalid: t.goto('bad'),
      to: t.goto('main'),
      range: R,
    };
    const api = flow(
      'api',
      {
        main: [
          s.step('respond', { status: x.num(201), body: x.obj({ name: x.v('name'), lang: x.v('request.body.lang'), id: x.v('request.params.id'), g: x.v('config.greeting'), r: x.v('env.REGION'), f: x.v('session.flow') }) }, { sent: t.cont() }),
          s.end(),
        ],
        bad: [s.step('respond', { status: x.num(422), body: x.obj({ missing: x.v('request.missing') }) }, { sent: t.end() })],
      },
      { entries: [entry] },
    );
    const { engine, runtime } = setup([api]);
    const req = { method: 'POST', path: '/v1/echo/7', body: { name: 'ann' }, params: { id: '7' }, query: {}, headers: {} };
    const ok = createHttpExchange();
    runtime.startHttpSession('api', 'h1', req, ok.exchange);
    expect(await engine.clock.run(ok.reply)).toEqual({ status: 201, headers: {}, body: { name: 'ann', lang: 'en', id: '7', g: 'hi', r: 'eu', f: 'api' } });

    const bad = createHttpExchange();
    runtime.startHttpSession('api', 'h1', { ...req, body: {}, errors: [{ field: 'name' }], missing: ['name'] }, bad.exchange);
    expect(await engine.clock.run(bad.reply)).toMatchObject({ status: 422, body: { missing: ['name'] } });
    expect(runtime.startHttpSession('api', 'nope', req, createHttpExchange().exchange)).toBeUndefined();
  });

  it('originates: dials, runs the target flow on the answered leg, and reports failures', async () => {
    const startEntry: StartEntryIr = { kind: 'start', id: 'st', params: [{ name: 'greeting', type: { kind: 'base', name: 'string', range: R }, optional: true, default: x.str('hello') }], to: t.goto('main'), range: R };
    const callee = flow('callee', { main: [s.set('got', x.v('greeting')), s.step('wait', { duration: x.dur(2000) }, { done: t.cont() }), s.step('hangup', {}, {})] }, { entries: [startEntry] });
    const caller = flow('caller', {
      main: [
        s.step('originate', { to: x.str('+1777'), flow: x.str('callee'), params: x.obj({}) }, { answered: t.cont(), started: t.cont(), busy: t.goto('busy'), 'no-answer': t.end(), invalid: t.end(), failed: t.end() }, 'leg'),
        s.step('originate', { to: x.str('+1888'), flow: x.str('callee') }, { answered: t.end(), started: t.end(), busy: t.goto('busy'), 'no-answer': t.end(), invalid: t.end(), failed: t.end() }),
      ],
      busy: [s.set('wasBusy', x.bool(true)), s.end()],
    });
    const { engine, runtime, ended } = setup([caller, callee], { targets: { '+1888': { result: 'busy' } } });
    const s1 = runtime.startFlow('caller', {});
    await engine.clock.run(s1!.done);
    expect(s1?.scope.vars.wasBusy).toBe(true);
    expect((s1?.scope.vars.leg as { call_id: string }).call_id).toMatch(/^leg-/);
    await engine.clock.runUntilIdle();
    const calleeEnd = ended.find((e) => e.flow === 'callee');
    expect(calleeEnd?.cause).toBe('local-hangup');
    const calleeSession = runtime.session(calleeEnd!.id);
    expect(calleeSession?.scope.vars.got).toBe('hello');
    expect(calleeSession?.call?.info.to).toBe('+1777');
  });

  it('stop() and stopAll() end live sessions', async () => {
    const waiting = flow('waiting', { main: [s.step('wait', { duration: x.dur(60_000) }, { done: t.end() })] }, { entries: [{ kind: 'start', id: 'st', params: [], to: t.goto('main'), range: R }] });
    const { engine, runtime } = setup([waiting]);
    const a = runtime.startFlow('waiting', {})!;
    const b = runtime.startFlow('waiting', {})!;
    await engine.clock.advance(10);
    expect(runtime.list().map((i) => [i.id, i.state, i.step])).toEqual([
      ['s1', 'main', 'wait'],
      ['s2', 'main', 'wait'],
    ]);
    expect(runtime.stop('s1')).toBe(true);
    expect(runtime.stop('nope')).toBe(false);
    await engine.clock.run(a.done);
    await engine.clock.run(runtime.stopAll());
    expect(b.result?.cause).toBe('stopped');
    expect(engine.clock.pendingTimers()).toBe(0);
  });
});
