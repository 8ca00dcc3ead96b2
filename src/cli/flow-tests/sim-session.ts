/**
 * Running one session of a compiled flow on a simulated engine, for `callflow test` and `callflow simulate`:
 * pick the entry, build the session's variables (call, request, params, config), validate an HTTP body as
 * the server does, run it to its end in virtual time, and report states, outcomes taken, the HTTP response and the formatted trace.
 */
import { dirname } from 'node:path';
import type { EntryIr, FlowIr, HttpEntryIr } from '../../compiler/ir.js';
import type { SimCallLeg, SimulatedEngine } from '../../engines/simulated/index.js';
import { globMatch } from '../../engines/simulated/index.js';
import type { FunctionEnv } from '../../runtime/functions.js';
import { seededRandom } from '../../runtime/random.js';
import { Session } from '../../runtime/session.js';
import { applyFields, callVars, requestVars } from '../../runtime/session-vars.js';
import type { HttpExchange } from '../../runtime/step-context.js';
import { formatTrace, type TraceEvent } from '../../runtime/trace.js';
import { STEP_RUNNERS } from '../../steps/index.js';
import { compileRequestValidator, type RequestProblem } from '../../server/http/request-schema.js';
import type { TestEntry } from './format.js';
import type { SessionRequest, SessionRun } from './run.js';
import { sessionVars, simSessions } from './sim-originate.js';

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

/** The leg a test's session runs on: the caller's ringing inbound call, or the answered leg of `start: {call}`. */
function legOf(engine: SimulatedEngine, entry: EntryIr, t: TestEntry): SimCallLeg | undefined {
  if (t.kind === 'start' && t.call) {
    const c = t.call;
    return engine.answeredCall({ ...(c.id ? { id: c.id } : {}), ...(c.from ? { from: c.from } : {}), ...(c.to ? { to: c.to } : {}), ...(c.headers ? { headers: c.headers } : {}) });
  }
  if (t.kind !== 'call' && (entry.kind !== 'call' || t.kind === 'http')) return undefined;
  if (t.kind !== 'call') return engine.inboundCall();
  return engine.inboundCall({ ...(t.from ? { from: t.from } : {}), ...(t.to ? { to: t.to } : {}), ...(t.headers ? { headers: t.headers } : {}), ...(t.trunk ? { trunk: t.trunk } : {}) });
}

/** What the server answers, with no session at all, to a body that fails an entry without `invalid ->`. */
function rejected(problems: RequestProblem[]): SessionRun {
  const message = problems.map((p) => p.message).join('; ');
  return {
    states: [],
    taken: [],
    end: { cause: 'invalid-request', error: message },
    response: { status: 400, body: { error: 'invalid request', message, field: problems[0]?.field, errors: problems }, headers: {} },
    logs: [],
    trace: `the server answered 400 before any session started: ${message}`,
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
  const http = t.kind === 'http' ? exchange() : undefined;
  let invalid: HttpEntryIr['invalid'];
  if (t.kind === 'http') {
    const fields = entry.kind === 'http' ? entry.request : [];
    // As the server (flow-dispatch.ts): GET and DELETE bodies are not validated.
    const problems = t.method === 'GET' || t.method === 'DELETE' ? [] : compileRequestValidator(fields)(t.body);
    if (problems.length > 0 && !(entry.kind === 'http' && entry.invalid)) return rejected(problems);
    if (problems.length > 0 && entry.kind === 'http') invalid = entry.invalid;
    const params = entry.kind === 'http' ? (matchPath(entry.path, t.path) ?? {}) : {};
    const missing = problems.filter((p) => p.problem === 'missing').map((p) => p.field);
    const request = { method: t.method, path: t.path, body: t.body ?? {}, params, query: t.query ?? {}, headers: t.headers ?? {}, errors: problems, missing };
    vars.request = requestVars(request, fields, vars, fn);
  }
  const call = legOf(engine, entry, t);
  if (call) vars.call = callVars(call.info);
  if (entry.kind === 'start') vars.params = applyFields(entry.params, t.kind === 'start' ? t.params : {}, vars, fn);
  const started: Session[] = [];
  const events: TraceEvent[] = [];
  const session = new Session({
    id: 's-1',
    flow: ir,
    version: ir.sourceHash,
    entry,
    ...(invalid ? { transition: invalid } : {}),
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
    bargeInDigits: events.filter((e) => e.type === 'digit' && e.via === 'barge-in').map((e) => ({ at: e.t, digit: String(e.digit) })),
    trace: formatTrace(events),
  };
}
