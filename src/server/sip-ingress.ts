/**
 * SIP ingress: a new inbound call (a ringing leg from the engine) is tagged with its source trunk, routed to a
 * flow's `on call` entry and run. The final responses follow RFC 3261 §21: 404 when no flow matches (§21.4.5),
 * 500 when the flow fails before answering (§21.5.1), 503 with Retry-After while shutting down (§21.5.4).
 */
import type { Logger } from 'pino';
import type { TrunkConfig } from './config.js';
import type { CallLeg } from '../ports/index.js';
import type { Session } from '../runtime/session.js';
import { formatTrace } from '../runtime/trace.js';
import { cidrContains } from './cidr.js';

/** The part of the Runtime the ingress uses. */
export interface CallStarter {
  startCallSession(leg: CallLeg, flowName?: string): Session | undefined;
}

/** Options of the ingress. */
export interface SipIngressOptions {
  runtime: CallStarter;
  trunks: Record<string, TrunkConfig>;
  log: Logger;
  /** Called with each call's result, for metrics. */
  onResult?: (result: 'routed' | 'not-found' | 'failed' | 'refused') => void;
}

/** The trunk whose `sources` contain the call's source address, if any. */
export function trunkOfSource(
  trunks: Record<string, TrunkConfig>,
  source: string | undefined,
): string | undefined {
  if (!source) return undefined;
  const address = hostOf(source);
  for (const [name, t] of Object.entries(trunks))
    if ((t.sources ?? []).some((cidr) => cidrContains(cidr, address))) return name;
  return undefined;
}

function hostOf(source: string): string {
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(source);
  if (bracket?.[1]) return bracket[1];
  const colons = source.split(':').length - 1;
  return colons === 1 ? (source.split(':')[0] ?? source) : source;
}

/** Routes inbound calls to flows. */
export class SipIngress {
  private draining = false;
  /** Counts by result, for the start-up summary and tests. */
  readonly counts = { routed: 0, notFound: 0, failed: 0, refused: 0 };

  constructor(private readonly opts: SipIngressOptions) {}

  /** Refuse new calls from now on (shutdown). */
  drain(): void {
    this.draining = true;
  }

  /** Whether new calls are being refused. */
  get isDraining(): boolean {
    return this.draining;
  }

  private count(result: 'routed' | 'not-found' | 'failed' | 'refused'): void {
    const key = result === 'not-found' ? 'notFound' : result;
    this.counts[key]++;
    try {
      this.opts.onResult?.(result);
    } catch {
      // Metrics never disturb calls.
    }
  }

  /** Handle one new inbound call; never throws. */
  handle(leg: CallLeg): void {
    const log = this.opts.log.child({ callId: leg.info.id, sipCallId: leg.info.sipCallId });
    try {
      if (this.draining) {
        this.count('refused');
        log.info({ from: leg.info.from, to: leg.info.to }, 'call refused: shutting down (503)');
        void leg
          .hangup({ status: 503, reason: 'Service Unavailable', cause: 'shutdown' })
          .catch(() => undefined);
        return;
      }
      const trunk = leg.info.trunk ?? trunkOfSource(this.opts.trunks, leg.info.source);
      if (trunk) leg.info.trunk = trunk;
      rejectWith500OnError(leg);
      const session = this.opts.runtime.startCallSession(leg);
      if (!session) {
        this.count('not-found');
        log.info(
          {
            from: leg.info.from,
            to: leg.info.to,
            toUri: leg.info.toUri,
            domain: leg.info.domain,
            trunk,
            source: leg.info.source,
          },
          'no flow matches this call (404)',
        );
        void leg.hangup({ status: 404, reason: 'Not Found' }).catch(() => undefined);
        return;
      }
      this.count('routed');
      log.info(
        {
          session: session.id,
          flow: session.flow.name,
          version: session.version,
          from: leg.info.from,
          to: leg.info.to,
        },
        'call routed to flow',
      );
      void session.done.then((r) => {
        if (r.cause !== 'error') return;
        this.count('failed');
        log.error(
          {
            session: session.id,
            flow: session.flow.name,
            error: r.error,
            trace: formatTrace(session.trace.events()),
          },
          'flow failed',
        );
      });
    } catch (err) {
      this.count('failed');
      log.error({ err }, 'flow failed to start (500)');
      void leg
        .hangup({ status: 500, reason: 'Server Internal Error', cause: 'error' })
        .catch(() => undefined);
    }
  }
}

/**
 * A session that fails hangs its call up with cause `error`; while the call is still ringing that must be a
 * 500 rather than the engine's default rejection. The method is replaced on the leg itself (not a wrapper)
 * because engines may key their media state on the leg object.
 */
function rejectWith500OnError(leg: CallLeg): void {
  const original = leg.hangup.bind(leg);
  leg.hangup = (o) =>
    original(
      o?.cause === 'error' && o.status === undefined && leg.state === 'ringing'
        ? { ...o, status: 500, reason: 'Server Internal Error' }
        : o,
    );
}
