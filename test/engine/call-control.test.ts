/**
 * The CallControl contract against the embedded engine, with SIPp as every far end: SIPp UACs call the
 * engine (uac-call.xml) and SIPp UASs answer, reject or ring out our dials. SIP ports 15600-15639, SIPp
 * media ports 15700-15739.
 */
import type { SipCallLeg } from '../../src/engines/embedded/call-leg.js';
import type { CallControl } from '../../src/ports/call-control.js';
import { describeCallControlContract, type TargetBehaviour } from '../contracts/call-control-contract.js';
import { settle } from '../sip/sipp.js';
import {
  farEndHangup,
  finishSipps,
  portBlock,
  sippAnswers,
  sippCalls,
  sleep,
  startEngine,
  type SippProc,
} from './support.js';

const sipPort = portBlock(15600, 15639);
const mediaPort = (() => {
  const next = portBlock(0, 9);
  return () => 15700 + 4 * next();
})();

const FINAL: Record<Exclude<TargetBehaviour['result'], 'answer' | 'no-answer'>, number> = {
  busy: 486,
  declined: 603,
  invalid: 404,
  failed: 500,
};

describeCallControlContract('embedded engine, SIPp far ends', async () => {
  const t = await startEngine({ min: 46000, max: 46199 });
  const procs: SippProc[] = [];
  const dialled = new Map<string, SipCallLeg>();
  const calls: CallControl = {
    ...t.engine.calls,
    async dial(req, signal) {
      const r = await t.engine.calls.dial(req, signal);
      if (r.outcome === 'answered') dialled.set(req.to, r.leg as SipCallLeg);
      return r;
    },
  };
  return {
    calls,
    async inbound() {
      const proc = sippCalls({ engine: t, port: sipPort(), mediaPort: mediaPort() });
      procs.push(proc);
      const leg = await t.nextInbound();
      return { leg, hangup: () => farEndHangup(leg) };
    },
    async target(b) {
      const port = sipPort();
      const uri = `sip:target@127.0.0.1:${port}`;
      const common = { port, mediaPort: mediaPort(), pauseMs: b.afterMs ?? 50 };
      const proc =
        b.result === 'answer'
          ? sippAnswers({ scenario: 'uas-answer', ...common })
          : b.result === 'no-answer'
            ? sippAnswers({ scenario: 'uas-ring', ...common })
            : sippAnswers({ scenario: 'uas-final', ...common, status: FINAL[b.result] });
      procs.push(proc);
      await settle(300);
      return {
        uri,
        hangup: async () => {
          const leg = dialled.get(uri);
          if (leg) await farEndHangup(leg);
        },
      };
    },
    pass: (ms) => sleep(ms),
    settle: (p) => p,
    async close() {
      // Every SIPp must have run its scenario to the end: that checks the far end saw what it expected.
      const results = await finishSipps(procs, () => t.close());
      const bad = results.filter((r) => r.code !== 0);
      if (bad.length > 0)
        throw new Error(
          `SIPp far end failed: ${JSON.stringify(bad.map((r) => ({ code: r.code, errors: r.errors.slice(-800) })))}`,
        );
    },
  };
});
