/**
 * `originate` in a simulation: dial through the simulated engine and, as the runtime does, run the flow's
 * `on start` entry on the answered leg (those sessions are not traced; a `start:` test with `call:` covers them).
 */
import { dirname } from 'node:path';
import type { FlowIr } from '../../compiler/ir.js';
import type { SimulatedEngine } from '../../engines/simulated/index.js';
import type { FunctionEnv } from '../../runtime/functions.js';
import { seededRandom } from '../../runtime/random.js';
import { Session } from '../../runtime/session.js';
import { applyFields, baseVars, callVars } from '../../runtime/session-vars.js';
import type { SessionStarter } from '../../runtime/step-context.js';
import { STEP_RUNNERS } from '../../steps/index.js';

/** The session variables, built exactly as the runtime builds them (config defaults, env, session). */
export function sessionVars(engine: SimulatedEngine, ir: FlowIr, id: string, config: Record<string, unknown>, fn: FunctionEnv): Record<string, unknown> {
  const session = { id, flow: ir.name, version: ir.sourceHash.slice(0, 7), started_at: new Date(engine.clock.now()).toISOString() };
  return baseVars({ flow: ir, session, config, env: {}, fn });
}

/** Originate in a simulation: dial through the engine and run the flow's start entry on the answered leg. Other flows' start entries are not simulated: their legs just stay answered. */
export function simSessions(engine: SimulatedEngine, ir: FlowIr, config: Record<string, unknown>, started: Session[]): SessionStarter {
  return {
    async originate(req, signal) {
      const own = req.flow === '' || req.flow === ir.name;
      // As the runtime: a flow without an `on start` entry cannot be originated, and nothing is dialled.
      if (own && !ir.entries.some((e) => e.kind === 'start')) return { outcome: 'invalid' };
      const dialled = engine.ports.calls.dial({ to: req.to, timeoutMs: req.timeoutMs, ...(req.from ? { from: req.from } : {}), ...(req.via ? { via: req.via } : {}), ...(req.headers ? { headers: req.headers } : {}) }, signal);
      const run = dialled.then((r) => {
        if (r.outcome !== 'answered') return r;
        const entry = ir.entries.find((e) => e.kind === 'start');
        if (entry && own) {
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
      // A callee who declines (603) is reported as busy, as the runtime does.
      return { outcome: r.outcome === 'declined' ? 'busy' : r.outcome, ...(r.status === undefined ? {} : { status: r.status }) };
    },
  };
}

