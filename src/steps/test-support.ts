/**
 * Test support for step modules: a StepContext over a simulated engine, with catalog defaults applied the
 * way the interpreter applies them. Used by the `*.test.ts` files beside the steps.
 */
import { getStep } from '../catalog/index.js';
import type { Expr } from '../language/ast.js';
import type { SourceRange } from '../language/diagnostics.js';
import { createSimulatedEngine, type SimCallLeg, type SimScript, type SimulatedEngine } from '../engines/simulated/index.js';
import type { SessionStarter, StepContext, StepResult, StepTraceEvent } from '../runtime/step-context.js';
import { STEP_RUNNERS } from './index.js';

const RANGE: SourceRange = { file: 'test.flow', start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** A minimal evaluator for the expressions tests pass as `argExprs` (the runtime has the real one). */
export function evalExpr(e: Expr, scope: Record<string, unknown>): unknown {
  switch (e.kind) {
    case 'string':
      return e.parts.map((p) => (typeof p === 'string' ? p : String(evalExpr(p, scope)))).join('');
    case 'number':
      return e.value;
    case 'duration':
      return e.ms;
    case 'bool':
      return e.value;
    case 'null':
      return null;
    case 'var':
      return scope[e.name];
    case 'member': {
      const o = evalExpr(e.object, scope);
      return o && typeof o === 'object' ? (o as Record<string, unknown>)[e.name] : undefined;
    }
    case 'object':
      return Object.fromEntries(e.entries.map((x) => [x.key, evalExpr(x.value, scope)]));
    case 'array':
      return e.items.map((x) => evalExpr(x, scope));
    case 'index':
    case 'unary':
    case 'binary':
    case 'call':
    default:
      throw new Error(`test evaluator: unsupported expression ${e.kind}`);
  }
}

/** Build `a.b.c` as an expression. */
export function path(dotted: string): Expr {
  const [root, ...rest] = dotted.split('.');
  let expr: Expr = { kind: 'var', name: root ?? '', range: RANGE };
  for (const name of rest) expr = { kind: 'member', object: expr, name, range: RANGE };
  return expr;
}

/** An object expression of paths: {channel: 'response.body.channel'}. */
export function objectOfPaths(fields: Record<string, string>): Expr {
  return { kind: 'object', entries: Object.entries(fields).map(([key, p]) => ({ key, keyRange: RANGE, value: path(p) })), range: RANGE };
}

/** Options for a harness. */
export interface HarnessOptions {
  script?: SimScript;
  /** The session's call: none, ringing (default answered). */
  call?: 'none' | 'ringing' | 'answered';
  http?: boolean;
  flowDir?: string;
  sessions?: SessionStarter;
}

/** A step harness. */
export interface StepHarness {
  engine: SimulatedEngine;
  call: SimCallLeg | undefined;
  traces: StepTraceEvent[];
  abort: AbortController;
  responses: Array<{ status: number; body: unknown; headers: Record<string, string> }>;
  /** Start a step (not driving the clock). */
  start(step: string, args?: Record<string, unknown>, argExprs?: Record<string, Expr>): Promise<StepResult>;
  /** Start a step and drive the virtual clock until it settles. */
  run(step: string, args?: Record<string, unknown>, argExprs?: Record<string, Expr>): Promise<StepResult>;
}

/** Create a harness on a fresh simulated engine. */
export async function harness(opts: HarnessOptions = {}): Promise<StepHarness> {
  const engine = createSimulatedEngine({ script: opts.script ?? {} });
  const mode = opts.call ?? 'answered';
  const call = mode === 'none' ? undefined : engine.inboundCall();
  if (call && mode === 'answered') call.markAnswered();
  const traces: StepTraceEvent[] = [];
  const abort = new AbortController();
  const responses: StepHarness['responses'] = [];
  let responded = false;
  // The runtime aborts the step when the call ends; so does the harness.
  void call?.ended.then(() => abort.abort(new Error('call ended')));
  const sessions: SessionStarter = opts.sessions ?? { originate: () => Promise.resolve({ outcome: 'failed' }) };

  const start = (step: string, args: Record<string, unknown> = {}, argExprs: Record<string, Expr> = {}): Promise<StepResult> => {
    const decl = getStep(step);
    const runner = STEP_RUNNERS[step];
    if (!decl || !runner) throw new Error(`no step '${step}'`);
    const full: Record<string, unknown> = {};
    for (const a of decl.args) if (a.default !== undefined && a.default !== null) full[a.name] = a.default;
    Object.assign(full, args);
    const ctx: StepContext = {
      step,
      range: RANGE,
      args: full,
      argExprs,
      evaluate: (e, extra) => evalExpr(e, { ...full, ...extra }),
      ...(call ? { call } : {}),
      ...(opts.http
        ? {
            http: {
              get responded() {
                return responded;
              },
              respond(status: number, body: unknown, headers: Record<string, string>) {
                responded = true;
                responses.push({ status, body, headers });
              },
            },
          }
        : {}),
      ports: engine.ports,
      sessions,
      flowDir: opts.flowDir ?? process.cwd(),
      signal: abort.signal,
      trace: (e) => traces.push(e),
    };
    return runner(ctx);
  };
  return {
    engine,
    call,
    traces,
    abort,
    responses,
    start,
    run: (step, args, argExprs) => engine.clock.run(start(step, args, argExprs)),
  };
}

/** What a harness still holds (the caller's own leg excepted): the leak check every abort test makes. */
export function leaksOf(h: StepHarness): ReturnType<SimulatedEngine['leaks']> {
  return h.engine.leaks(h.call ? [h.call.info.id] : []);
}

/** The leak report when nothing is held. */
export const CLEAN = { timers: 0, legs: [], plays: 0, listens: 0, channels: 0, taps: 0, bots: 0 } as const;
