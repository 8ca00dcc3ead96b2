/**
 * The Runtime facade the server (composition root) uses: start sessions for inbound calls, HTTP requests and
 * API/originate starts; place outbound calls for `originate`; list, inspect and stop sessions. Each session
 * pins the FlowVersion it started with, so a hot reload never changes a running session.
 * Events: 'session.started' (SessionStartedEvent), 'session.ended' (SessionEndedEvent), 'step' (StepMetric).
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { dirname } from 'node:path';
import type { EntryIr, HttpEntryIr, StartEntryIr } from '../compiler/ir.js';
import type { CallLeg } from '../ports/index.js';
import { routeCall } from './call-routing.js';
import type { FunctionEnv } from './functions.js';
import { systemRandom, type Random } from './random.js';
import type { FlowVersion, RegistrySnapshot } from './registry.js';
import { Session, type SessionEndCause, type SessionLimits, type StepMetric } from './session.js';
import { applyFields, baseVars, callVars, requestVars, type RequestVars } from './session-vars.js';
import type { HttpExchange, Ports, SessionStarter, StepRun } from './step-context.js';
import type { TraceEvent } from './trace.js';

/** Where the runtime finds flows (the FlowRegistry satisfies it). */
export interface FlowSource {
  get(name: string): FlowVersion | undefined;
  snapshot(): RegistrySnapshot;
}

/** Runtime options. */
export interface RuntimeOptions {
  flows: FlowSource;
  ports: Ports;
  /** The step modules (src/steps/index.ts STEP_RUNNERS). */
  runners: Readonly<Record<string, StepRun>>;
  /** Deployment config values per flow name (`config.*`). */
  config?: (flow: string) => Record<string, unknown>;
  /** Environment variables flows may read as `env.*` (already filtered to the allowed list). */
  env?: Record<string, string>;
  /** Limits for every session; `httpLimits` override them for `on http` sessions. */
  limits?: Partial<SessionLimits>;
  httpLimits?: Partial<SessionLimits>;
  /** Randomness per session (default Math.random; simulations pass a seeded one). */
  random?: (sessionId: string) => Random;
  /** Session ids (default random UUIDs). */
  newId?: () => string;
  /** Ended sessions kept for `get` (default 100). */
  keepEnded?: number;
  /** Called with every trace event of every session (for logging). */
  onTrace?: (session: Session, e: TraceEvent) => void;
}

/** Emitted when a session starts. */
export interface SessionStartedEvent {
  id: string;
  flow: string;
  version: string;
  kind: EntryIr['kind'];
}

/** Emitted when a session has ended (its call hung up and HTTP request answered). */
export interface SessionEndedEvent extends SessionStartedEvent {
  cause: SessionEndCause;
  error?: string;
  durationMs: number;
}

/** A session as `list`/`get` show it. */
export interface SessionInfo {
  id: string;
  flow: string;
  version: string;
  kind: EntryIr['kind'];
  status: Session['status'];
  state?: string;
  step?: string;
  callId?: string;
  startedAt: number;
  cause?: SessionEndCause;
}

/** The originate request SessionStarter receives. */
export type OriginateRequest = Parameters<SessionStarter['originate']>[0];
/** What originate resolves with. */
export type OriginateResult = Awaited<ReturnType<SessionStarter['originate']>>;

/** Runs sessions. */
export class Runtime extends EventEmitter {
  private readonly live = new Map<string, { session: Session; kind: EntryIr['kind'] }>();
  private readonly ended = new Map<string, { session: Session; kind: EntryIr['kind'] }>();
  private readonly background = new AbortController();

  constructor(private readonly opts: RuntimeOptions) {
    super();
  }

  /** Start the flow whose `on call` entry matches the call (or `flowName`'s); undefined when none matches. */
  startCallSession(leg: CallLeg, flowName?: string): Session | undefined {
    const route = routeCall(this.opts.flows.snapshot().callRoutes, leg.info, flowName);
    if (!route) return undefined;
    return this.launch(route.flow, route.entry, { leg, extra: { call: callVars(leg.info) } });
  }

  /** Run an `on http` entry; the session answers through `exchange`. Undefined when the flow/entry is unknown. */
  startHttpSession(flowName: string, entryId: string, request: RequestVars, exchange: HttpExchange): Session | undefined {
    const flow = this.opts.flows.get(flowName);
    const entry = flow?.ir.entries.find((e): e is HttpEntryIr => e.kind === 'http' && e.id === entryId);
    if (!flow || !entry) return undefined;
    const invalid = (request.errors?.length ?? 0) > 0 && entry.invalid ? entry.invalid : undefined;
    return this.launch(flow, entry, {
      http: exchange,
      build: (vars, fn) => {
        vars.request = requestVars(request, entry.request, vars, fn);
      },
      ...(invalid ? { transition: invalid } : {}),
    });
  }

  /** Run a flow's `on start` entry with parameters, optionally on a call leg. Undefined when it has none. */
  startFlow(flowName: string, params: Record<string, unknown>, leg?: CallLeg, limits?: Partial<SessionLimits>): Session | undefined {
    const flow = this.opts.flows.get(flowName);
    const entry = flow?.ir.entries.find((e): e is StartEntryIr => e.kind === 'start');
    if (!flow || !entry) return undefined;
    return this.launch(flow, entry, {
      ...(leg ? { leg, extra: { call: callVars(leg.info) } } : {}),
      build: (vars, fn) => {
        vars.params = applyFields(entry.params, params, vars, fn);
      },
      ...(limits ? { limits } : {}),
    });
  }

  /** Place a call and run `req.flow`'s `on start` on it once answered (the SessionStarter for `originate`). */
  async originate(req: OriginateRequest, signal: AbortSignal): Promise<OriginateResult> {
    const target = this.opts.flows.get(req.flow);
    if (!target?.ir.entries.some((e) => e.kind === 'start')) return { outcome: 'invalid' };
    const dial = async (sig: AbortSignal): Promise<OriginateResult> => {
      const res = await this.opts.ports.calls.dial(
        { to: req.to, timeoutMs: req.timeoutMs, ...(req.from ? { from: req.from } : {}), ...(req.via ? { via: req.via } : {}), ...(req.headers ? { headers: req.headers } : {}) },
        sig,
      );
      if (res.outcome !== 'answered') return { outcome: res.outcome === 'declined' ? 'busy' : res.outcome, ...(res.status === undefined ? {} : { status: res.status }) };
      const s = this.startFlow(req.flow, req.params, res.leg, { maxDurationMs: req.maxDurationMs });
      if (!s) await res.leg.hangup({ cause: 'error' });
      return s ? { outcome: 'answered', callId: res.leg.info.id } : { outcome: 'failed' };
    };
    if (req.wait === 'none') {
      // Not tied to the originating step's signal: that step ends at once.
      dial(this.background.signal).catch(() => undefined);
      return { outcome: 'started' };
    }
    return dial(signal);
  }

  /** Live sessions. */
  list(): SessionInfo[] {
    return [...this.live.values()].map(({ session, kind }) => infoOf(session, kind));
  }

  /** A live or recently ended session with its trace. */
  get(id: string): (SessionInfo & { trace: TraceEvent[] }) | undefined {
    const found = this.live.get(id) ?? this.ended.get(id);
    return found ? { ...infoOf(found.session, found.kind), trace: found.session.trace.events() } : undefined;
  }

  /** The Session object itself (tests, simulate). */
  session(id: string): Session | undefined {
    return (this.live.get(id) ?? this.ended.get(id))?.session;
  }

  /** Stop a live session; false when there is none with that id. */
  stop(id: string, reason?: string): boolean {
    const found = this.live.get(id);
    if (!found) return false;
    found.session.stop(reason);
    return true;
  }

  /** Stop every session (shutdown) and wait until they have ended. */
  async stopAll(reason = 'shutdown'): Promise<void> {
    this.background.abort(new Error(reason));
    const all = [...this.live.values()].map(({ session }) => session);
    for (const s of all) s.stop(reason);
    await Promise.all(all.map((s) => s.done));
  }

  /** Listeners (metrics, logs) must never disturb sessions. */
  private safeEmit(event: string, payload: unknown): void {
    try {
      this.emit(event, payload);
    } catch {
      // A failing listener is the listener's problem.
    }
  }

  private launch(
    flow: FlowVersion,
    entry: EntryIr,
    o: {
      leg?: CallLeg;
      http?: HttpExchange;
      extra?: Record<string, unknown>;
      build?: (vars: Record<string, unknown>, fn: FunctionEnv) => void;
      transition?: HttpEntryIr['to'];
      limits?: Partial<SessionLimits>;
    },
  ): Session {
    const id = this.opts.newId?.() ?? randomUUID();
    const random = this.opts.random?.(id) ?? systemRandom;
    const clock = this.opts.ports.clock;
    const fn: FunctionEnv = { now: () => clock.now(), random };
    const vars = baseVars({
      flow: flow.ir,
      session: { id, flow: flow.name, version: flow.label, started_at: new Date(clock.now()).toISOString() },
      config: this.opts.config?.(flow.name) ?? {},
      env: this.opts.env ?? {},
      fn,
    });
    Object.assign(vars, o.extra);
    o.build?.(vars, fn);
    const starter: SessionStarter = { originate: (req, signal) => this.originate({ ...req, flow: req.flow || flow.name }, signal) };
    const limits = { ...this.opts.limits, ...(entry.kind === 'http' ? this.opts.httpLimits : {}), ...o.limits };
    const onTrace = this.opts.onTrace;
    // Trace events emitted while the session is being constructed have no session to report yet.
    const built: { session?: Session } = {};
    const s = new Session({
      id,
      flow: flow.ir,
      version: flow.label,
      entry,
      ...(o.transition ? { transition: o.transition } : {}),
      vars,
      ports: this.opts.ports,
      sessions: starter,
      runners: this.opts.runners,
      ...(o.leg ? { call: o.leg } : {}),
      ...(o.http ? { http: o.http } : {}),
      flowDir: dirname(flow.file),
      random,
      limits,
      ...(onTrace ? { onTrace: (e: TraceEvent) => built.session && onTrace(built.session, e) } : {}),
      onStep: (m: StepMetric) => this.safeEmit('step', m),
    });
    built.session = s;
    const kind = entry.kind;
    this.live.set(id, { session: s, kind });
    const base: SessionStartedEvent = { id, flow: flow.name, version: flow.label, kind };
    this.safeEmit('session.started', base);
    void s.done.then((r) => {
      this.live.delete(id);
      this.ended.set(id, { session: s, kind });
      const keep = this.opts.keepEnded ?? 100;
      for (const k of this.ended.keys()) {
        if (this.ended.size <= keep) break;
        this.ended.delete(k);
      }
      const ev: SessionEndedEvent = { ...base, cause: r.cause, ...(r.error ? { error: r.error } : {}), durationMs: clock.now() - s.startedAt };
      this.safeEmit('session.ended', ev);
    });
    return s.start();
  }
}

function infoOf(s: Session, kind: EntryIr['kind']): SessionInfo {
  const step = s.currentStep?.step;
  const state = s.currentState;
  return {
    id: s.id,
    flow: s.flow.name,
    version: s.version,
    kind,
    status: s.status,
    ...(state ? { state } : {}),
    ...(step ? { step } : {}),
    ...(s.call ? { callId: s.call.info.id } : {}),
    startedAt: s.startedAt,
    ...(s.result ? { cause: s.result.cause } : {}),
  };
}
