/**
 * The Media contract against the embedded engine. The far end of each call is a second embedded engine that
 * dials in over real SIP (UDP) and RTP, so the harness can press keys (RFC 4733) and hang up on demand.
 * SIPp-driven media checks (prompt audio, SIPp's DTMF pcap) are in sipp-media.test.ts.
 */
import type { SipCallLeg } from '../../src/engines/embedded/call-leg.js';
import { describeMediaContract } from '../contracts/media-contract.js';
import { sleep, startEngine } from './support.js';

describeMediaContract('embedded engine, far end over SIP + RTP', async () => {
  const near = await startEngine({ min: 46200, max: 46399 });
  const far = await startEngine({ min: 46400, max: 46599 });
  const farLegs: SipCallLeg[] = [];
  return {
    media: near.engine.media,
    async call() {
      const dialled = far.engine.calls.dial({ to: `sip:media@${near.target}`, timeoutMs: 5000 });
      const leg = await near.nextInbound();
      await leg.answer();
      const r = await dialled;
      if (r.outcome !== 'answered') throw new Error(`far end dial: ${r.outcome}`);
      const farLeg = r.leg as SipCallLeg;
      farLegs.push(farLeg);
      return {
        leg,
        async press(keys, gapMs = 150) {
          for (const k of keys) {
            await farLeg.sendDtmf(k, { durationMs: 80, gapMs: 0 });
            await sleep(gapMs);
          }
        },
        hangup: () => farLeg.hangup(),
      };
    },
    pass: (ms) => sleep(ms),
    settle: (p) => p,
    async close() {
      await near.close();
      await far.close();
    },
  };
});
