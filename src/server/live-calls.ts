/**
 * The calls this node runs, as the API shows them: sessions that own a call leg, plus calls the API is still
 * dialling (`POST /v1/calls` answers at once with an id; the session starts under that id once the far end
 * answers). Implements the CallDirectory's LocalCalls.
 */
import { randomUUID } from 'node:crypto';
import type { Runtime } from '../runtime/runtime.js';
import type { Session } from '../runtime/session.js';
import type { LocalCalls } from './cluster/call-directory.js';
import type { CallDetail, CallSummary } from './http/api-types.js';

/** A call being dialled for the API. */
interface Pending {
  summary: CallSummary;
  abort: AbortController;
}

/** Hands the runtime the id reserved for the next session (so an originated call keeps its API id). */
export class SessionIds {
  private reserved: string | undefined;

  /** The runtime's `newId`. */
  readonly next = (): string => {
    const id = this.reserved ?? randomUUID();
    this.reserved = undefined;
    return id;
  };

  /** Run `start` (which launches a session synchronously) with `id` as the session's id. */
  with<T>(id: string, start: () => T): T {
    this.reserved = id;
    try {
      return start();
    } finally {
      this.reserved = undefined;
    }
  }
}

/** This node's calls. */
export class LiveCalls implements LocalCalls {
  private readonly pending = new Map<string, Pending>();
  /** Originations that never became a session (busy, no answer, ...), kept briefly for GET. */
  private readonly failed = new Map<string, CallSummary>();

  /**
   * @param endLeg ends a leg this node's engine holds that no session owns as its call (e.g. a `dial` leg);
   *   ids the API and `end-call` receive may be leg ids as well as session ids.
   */
  constructor(
    private readonly runtime: Runtime,
    private readonly nodeId: string,
    private readonly endLeg: (legId: string) => Promise<boolean> = async () => false,
  ) {}

  /** The session with id `id`, or the one whose call leg has id `id`. */
  private sessionOf(id: string): Session | undefined {
    const direct = this.runtime.session(id);
    if (direct) return direct;
    const byLeg = this.runtime.list().find((i) => i.callId === id && i.status !== 'ended');
    return byLeg ? this.runtime.session(byLeg.id) : undefined;
  }

  /** Track a call the API is dialling; returns its abort controller. */
  addPending(summary: CallSummary): AbortController {
    const abort = new AbortController();
    this.pending.set(summary.id, { summary, abort });
    return abort;
  }

  /** The dial ended: answered (a session takes over) or failed with `outcome`. */
  settlePending(id: string, outcome?: string): void {
    const p = this.pending.get(id);
    this.pending.delete(id);
    if (!p || outcome === undefined) return;
    this.failed.set(id, { ...p.summary, state: `failed: ${outcome}` });
    for (const k of this.failed.keys()) {
      if (this.failed.size <= 100) break;
      this.failed.delete(k);
    }
  }

  /** The summary of a session with a call. */
  summaryOf(s: Session): CallSummary | undefined {
    const leg = s.call;
    if (!leg) return undefined;
    const step = s.currentStep?.step;
    return {
      id: s.id,
      flow: s.flow.name,
      version: s.version,
      node: this.nodeId,
      direction: leg.info.direction,
      from: leg.info.from,
      to: leg.info.to,
      state: s.status === 'running' ? (s.currentState ?? 'starting') : s.status,
      ...(step ? { step } : {}),
      startedAt: new Date(s.startedAt).toISOString(),
    };
  }

  list(): CallSummary[] {
    const live = this.runtime
      .list()
      .map((i) => this.runtime.session(i.id))
      .map((s) => (s ? this.summaryOf(s) : undefined))
      .filter((c): c is CallSummary => c !== undefined);
    return [...[...this.pending.values()].map((p) => p.summary), ...live];
  }

  get(id: string): CallDetail | undefined {
    const p = this.pending.get(id);
    if (p) return { ...p.summary, trace: [] };
    const s = this.sessionOf(id);
    const summary = s ? this.summaryOf(s) : undefined;
    if (s && summary) return { ...summary, trace: s.trace.events() };
    const f = this.failed.get(id);
    return f ? { ...f, trace: [] } : undefined;
  }

  /** Hang up a live call (BYE), or cancel one still dialling. */
  async hangup(id: string): Promise<boolean> {
    const p = this.pending.get(id);
    if (p) {
      p.abort.abort(new Error('hung up through the API'));
      return true;
    }
    const s = this.sessionOf(id);
    if (!s?.call || s.status === 'ended' || s.call.state === 'ended') return this.endLeg(id);
    await s.call.hangup({ cause: 'local-hangup' });
    return true;
  }

  /** Live calls (dialling ones included). */
  get size(): number {
    return this.list().length;
  }

  /** Cancel every dial in progress (shutdown). */
  cancelPending(): void {
    for (const p of this.pending.values()) p.abort.abort(new Error('shutdown'));
  }
}
