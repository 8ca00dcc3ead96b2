/**
 * Running one session of a compiled flow on a simulated engine, for `callflow test` and `callflow simulate`:
 * pick the entry, build the session's variables (call, request, params, config), run it to its end in
 * virtual time, and report states, outcomes taken, the HTTP response and the formatted trace.
 */
import { dirname } from 'node:path';
import type { EntryIr, FlowIr, HttpEntryIr } from '../../compiler/ir.js';
import type { SimulatedEngine } from '../../engines/simulated/index.js';
import { globMatch } from '../../engines/simulated/index.js';
import type { FunctionEnv } from '../../runtime/functions.js';
import { seededRandom } from '../../runtime/random.js';
import { Session } from '../../runtime/session.js';
import { applyFields, baseVars, callVars, requestVars } from '../../runtime/session-vars.js';
import type { HttpExchange, SessionStarter } from '../../runtime/step-context.js';
import { formatTrace, type TraceEvent } from '../../runtime/trace.js';
import { STEP_RUNNERS } from '../../steps/index.js';
import type { TestEntry } from './format.js';
import type { SessionRequest, SessionRun } from './run.js';

/** Match `path` against an entry path with `:name` parameters; returns the parameters or undefined. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('?')[0]?.split('/').filter(Boolean) ?? [];
  const got = path.split('?')[0]?.split('/').filter(Boolean) ?? [];
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(g);
    else if (w !== g) return undefined;
  }
  return params;
}

/** The entry a test starts: by id, else the first of the right kind that matches the call or request. */
export function pickEntry(ir: FlowIr, entry: TestEntry, entryId?: string): EntryIr | undefined {
  if (entryId) return ir.entries.find((e) => e.id === entryId);
  const ofKind = ir.entries.filter((e) => e.kind === entry.kind);
  if (entry.kind === 'http') {
    return (ofKind as HttpEntryIr[]).find((e) => e.method.toUpperCase() === entry.method && matchPath(e.path, entry.path)) ?? ofKind[0];
  }
  if (entry.kind === 'call') {
    const facts: Record<string, string | undefined> = { to: entry.to, from: entry.from, user: entry.user ?? entry.to, domain: entry.domain, trunk: entry.trunk };
    const matches = ofKind.find((e) => e.kind === 'call' && e.matchers.every((m) => facts[m.field] !== undefined && globMatch(m.pattern, facts[m.field] as string)));
    return matches ?? ofKind[0];
  }
  return ofKind[0];
}

/** The session variables, built exactly as the runtime builds them (config defaults, env, session). */
function sessionVars(engine: SimulatedEngine, ir: FlowIr, id: string, config: Record<string, unknown>, fn: FunctionEnv): Record<string, unknown> {
  const session = { id, flow: ir.name, version: ir.sourceHash.slice(0, 7), started_at: new Date(engine.clock.now()).toISOString() };
  return baseVars({ flow: ir, session, config, env: {}, fn });
}

/** An HTTP exchange that keeps the response. */
function exchange(): HttpExchange & { sent?: { status: number; body: unknown; headers: Record<string, string> } } {
  const x: HttpExchange & { sent?: { status: number; body: unknown; headers: Record<string, string> } } = {
    get responded() {
      return x.sent !== undefined;
    },
    respond(status, body, headers) {
      x.sent = { status, body, headers };
    },
  };
  return x;
}

/** Originate in a simulation: dial through the engine and run the flow's start entry on the answered leg. */
function simSessions(engine: SimulatedEngine, ir: FlowIr, config: Record<string, unknown>, started: Session[]): SessionStarter {
  return {
    async originate(req, signal) {
      const dialled = engine.ports.calls.dial({ to: req.to, timeoutMs: req.timeoutMs, ...(req.from ? { from: req.from } : {}), ...(req.via ? { via: req.via } : {}), ...(req.headers ? { headers: req.headers } : {}) }, signal);
      const run = dialled.then((r) => {
        if (r.outcome !== 'answered') return r;
        const entry = ir.entries.find((e) => e.kind === 'start');
        if (entry && (req.flow === '' || req.flow === ir.name)) {
          const id = `s-${started.length + 2}`;
          const random = seededRandom(started.length + 2);
          const fn: FunctionEnv = { now: () => engine.clock.now(), random };
          const vars = sessionVars(engine, ir, id, config, fn);
          vars.call = callVars(r.leg.info);
          vars.params = applyFields(entry.kind === 'start' ? entry.params : [], req.params, vars, fn);
          const s = new Session({
            id,
            flow: ir,
            version: ir.sourceHash,
            entry,
            vars,
            ports: engine.ports,
            sessions: this,
            runners: STEP_RUNNERS,
            call: r.leg,
            flowDir: dirname(ir.file),
            random,
            limits: { maxDurationMs: req.maxDurationMs },
          });
          started.push(s);
          s.start();
        }
        return r;
      });
      if (req.wait === 'none') {
        run.catch(() => undefined);
        return { outcome: 'started' };
      }
      const r = await run;
      if (r.outcome === 'answered') return { outcome: 'answered', callId: r.leg.info.id };
      return { outcome: r.outcome === 'declined' ? 'failed' : r.outcome, ...(r.status === undefined ? {} : { status: r.status }) };
    },
  };
}

/** Run one session to its end on the request's engine. */
export async function runSimSession(req: SessionRequest, flowDir = dirname(req.ir.file)): Promise<SessionRun> {
  const { ir, engine } = req;
  const entry = pickEntry(ir, req.entry, req.entryId);
  if (!entry) throw new Error(req.entryId ? `the flow has no entry '${req.entryId}'` : `the flow has no ${req.entry.kind} entry`);
  const random = seededRandom(1);
  const fn: FunctionEnv = { now: () => engine.clock.now(), random };
  const vars = sessionVars(engine, ir, 's-1', req.config, fn);
  const t = req.entry;
  const call =
    t.kind === 'call' || (entry.kind === 'call' && t.kind !== 'http')
      ? engine.inboundCall({ ...(t.kind === 'call' && t.from ? { from: t.from } : {}), ...(t.kind === 'call' && t.to ? { to: t.to } : {}), ...(t.kind === 'call' && t.headers ? { headers: t.headers } : {}), ...(t.kind === 'call' && t.trunk ? { trunk: t.trunk } : {}) })
      : undefined;
  if (call) vars.call = callVars(call.info);
  const http = t.kind === 'http' ? exchange() : undefined;
  if (t.kind === 'http') {
    const params = entry.kind === 'http' ? (matchPath(entry.path, t.path) ?? {}) : {};
    const request = { method: t.method, path: t.path, body: t.body ?? {}, params, query: t.query ?? {}, headers: t.headers ?? {} };
    vars.request = requestVars(request, entry.kind === 'http' ? entry.request : [], vars, fn);
  }
  if (entry.kind === 'start') vars.params = applyFields(entry.params, t.kind === 'start' ? t.params : {}, vars, fn);
  const started: Session[] = [];
  const events: TraceEvent[] = [];
  const session = new Session({
    id: 's-1',
    flow: ir,
    version: ir.sourceHash,
    entry,
    vars,
    ports: engine.ports,
    sessions: simSessions(engine, ir, req.config, started),
    runners: STEP_RUNNERS,
    ...(call ? { call } : {}),
    ...(http ? { http } : {}),
    flowDir,
    random,
    limits: { maxDurationMs: req.limitMs },
    onTrace: (e) => events.push(e),
  });
  session.start();
  const result = await engine.clock.run(session.done, req.limitMs + 60_000);
  const states = events.filter((e) => e.type === 'state.enter').map((e) => String(e.state));
  return {
    states,
    taken: events.filter((e) => e.type === 'step.done').map((e) => ({ id: String(e.id), branch: String(e.outcome) })),
    end: { cause: result.cause, ...(states.length > 0 ? { state: states[states.length - 1] } : {}), ...(result.error ? { error: result.error } : {}) },
    ...(http?.sent ? { response: http.sent } : {}),
    logs: events.filter((e) => e.type === 'log').map((e) => String(e.message)),
    trace: formatTrace(events),
  };
}
