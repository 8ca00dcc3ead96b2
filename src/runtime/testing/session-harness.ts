/** A session on a simulated engine, for runtime tests. */
import { createSimulatedEngine, type SimCallLeg, type SimulatedEngine } from '../../engines/simulated/index.js';
import type { FlowIr } from '../../compiler/ir.js';
import { seededRandom } from '../random.js';
import { Session, type SessionLimits } from '../session.js';
import type { HttpExchange, SessionStarter, StepRun } from '../step-context.js';

/** An HTTP exchange that records what was sent. */
export function recordingExchange(): HttpExchange & { sent: Array<{ status: number; body: unknown }> } {
  const sent: Array<{ status: number; body: unknown }> = [];
  return {
    sent,
    get responded() {
      return sent.length > 0;
    },
    respond(status, body) {
      sent.push({ status, body });
    },
  };
}

/** A SessionStarter that refuses (tests that need originate use the Runtime). */
export const noSessions: SessionStarter = {
  originate: () => Promise.resolve({ outcome: 'failed' }),
};

/** Options for `startSession`. */
export interface HarnessSessionOptions {
  runners: Record<string, StepRun>;
  call?: boolean;
  http?: HttpExchange;
  vars?: Record<string, unknown>;
  limits?: Partial<SessionLimits>;
  engine?: SimulatedEngine;
}

/** Start a session for the flow's first entry. */
export function startSession(ir: FlowIr, opts: HarnessSessionOptions): { session: Session; engine: SimulatedEngine; call: SimCallLeg | undefined } {
  const engine = opts.engine ?? createSimulatedEngine();
  const call = opts.call ? engine.inboundCall() : undefined;
  const entry = ir.entries[0];
  if (!entry) throw new Error('flow without entries');
  const session = new Session({
    id: 's-1',
    flow: ir,
    version: '1',
    entry,
    vars: opts.vars ?? {},
    ports: engine.ports,
    sessions: noSessions,
    runners: opts.runners,
    ...(call ? { call } : {}),
    ...(opts.http ? { http: opts.http } : {}),
    flowDir: '.',
    random: seededRandom(1),
    ...(opts.limits ? { limits: opts.limits } : {}),
  });
  session.start();
  return { session, engine, call };
}
