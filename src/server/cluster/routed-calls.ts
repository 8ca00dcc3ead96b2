/**
 * A CallControl decorator for clusters: every leg it places is recorded with its owning node, and `endCall`
 * for a call this node's engine does not hold is forwarded to whichever node does (through the call
 * directory, which knows session ids and, via LegOwners, leg ids). The runtime keeps seeing a plain
 * CallControl, so it never learns about the server or the cluster.
 */
import type { CallControl, EndCause } from '../../ports/call-control.js';
import type { LegOwners } from './leg-owners.js';

/** Options for the decorator. */
export interface RoutedCallsOptions {
  /** The engine's own CallControl (finds local legs only). */
  inner: CallControl;
  owners: LegOwners;
  /** End a call elsewhere in the cluster by leg or session id; false when no node has it. */
  endRemote: (callId: string, cause: EndCause) => Promise<boolean>;
}

/** Wrap the engine's CallControl so dialled legs are registered and `endCall` reaches any node. */
export function routedCallControl(o: RoutedCallsOptions): CallControl {
  return {
    async dial(req, signal) {
      const res = await o.inner.dial(req, signal);
      // Written before the dial resolves, so a callid handed out right after is already routable.
      if (res.outcome === 'answered') await o.owners.track(res.leg).catch(() => undefined);
      return res;
    },
    bridge: (a, b, signal) => o.inner.bridge(a, b, signal),
    async endCall(callId, cause = 'local-hangup') {
      if (await o.inner.endCall(callId, cause)) return true;
      return o.endRemote(callId, cause);
    },
  };
}
