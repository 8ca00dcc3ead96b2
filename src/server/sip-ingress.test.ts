import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { CallInfo, CallLeg, EndCause } from '../ports/index.js';
import type { Session, SessionResult } from '../runtime/session.js';
import { SipIngress, type CallStarter } from './sip-ingress.js';

/** A ringing leg that records how it was ended (the ingress's decisions are pure logic). */
function fakeLeg(
  over: Partial<CallInfo> = {},
): CallLeg & { ends: Array<{ status?: number; cause?: EndCause }> } {
  const ends: Array<{ status?: number; cause?: EndCause }> = [];
  const leg = {
    info: {
      id: 'c1',
      direction: 'inbound',
      from: '+1555',
      to: '+1666',
      fromUri: 'sip:+1555@a',
      toUri: 'sip:+1666@b',
      domain: 'b',
      headers: {},
      source: '198.51.100.7:5060',
      ...over,
    } as CallInfo,
    state: 'ringing' as CallLeg['state'],
    ends,
    answer: async () => undefined,
    async hangup(o?: { status?: number; cause?: EndCause }) {
      ends.push({
        ...(o?.status === undefined ? {} : { status: o.status }),
        ...(o?.cause ? { cause: o.cause } : {}),
      });
      leg.state = 'ended';
    },
    ended: new Promise<{ cause: EndCause }>(() => undefined),
    sendDtmf: async () => undefined,
    transfer: async () => 'failed' as const,
  };
  return leg;
}

const log = pino({ level: 'silent' });
const trunks = { carrier: { uri: 'sip:carrier.example', sources: ['198.51.100.0/24'] } };

function fakeSession(done: Promise<SessionResult>): Session {
  return {
    id: 's1',
    flow: { name: 'f' },
    version: 'v1',
    done,
    trace: { events: () => [] },
  } as unknown as Session;
}

describe('SipIngress', () => {
  it('rejects with 404 when no flow matches, after tagging the trunk', () => {
    let seen: CallLeg | undefined;
    const runtime: CallStarter = { startCallSession: (leg) => ((seen = leg), undefined) };
    const ingress = new SipIngress({ runtime, trunks, log });
    const leg = fakeLeg();
    ingress.handle(leg);
    expect(seen?.info.trunk).toBe('carrier');
    expect(leg.ends).toEqual([{ status: 404 }]);
    expect(ingress.counts.notFound).toBe(1);
  });

  it('rejects with 503 while draining, without routing', () => {
    let routed = 0;
    const ingress = new SipIngress({
      runtime: { startCallSession: () => (routed++, undefined) },
      trunks,
      log,
    });
    ingress.drain();
    const leg = fakeLeg();
    ingress.handle(leg);
    expect(routed).toBe(0);
    expect(leg.ends).toEqual([{ status: 503, cause: 'shutdown' }]);
  });

  it('rejects with 500 when starting the flow throws', () => {
    const ingress = new SipIngress({
      runtime: {
        startCallSession: () => {
          throw new Error('boom');
        },
      },
      trunks,
      log,
    });
    const leg = fakeLeg();
    ingress.handle(leg);
    expect(leg.ends).toEqual([{ status: 500, cause: 'error' }]);
    expect(ingress.counts.failed).toBe(1);
  });

  it('turns a failing session’s hangup of a ringing call into a 500', async () => {
    const runtime: CallStarter = {
      startCallSession: (l) => {
        void l.hangup({ cause: 'error' });
        return fakeSession(Promise.resolve({ cause: 'error', error: 'x' }));
      },
    };
    const ingress = new SipIngress({ runtime, trunks, log });
    const leg = fakeLeg();
    ingress.handle(leg);
    expect(leg.ends).toEqual([{ status: 500, cause: 'error' }]);
    await new Promise((r) => setTimeout(r, 0));
    expect(ingress.counts).toMatchObject({ routed: 1, failed: 1 });
  });
});
