/**
 * Server transactions: INVITE (RFC 3261 §17.2.1 with the RFC 6026 Accepted state) and
 * non-INVITE (§17.2.2). Responses arrive pre-serialised so retransmissions are plain writes.
 */
import type { TimerHandle } from '../timer-wheel.js';
import { arm, disarm, type TxContext } from './timers.js';

/** Server transaction states (§17.2.1 figure 7, §17.2.2 figure 8, RFC 6026 §7.1). */
export const ServerState = {
  Trying: 'trying',
  Proceeding: 'proceeding',
  Accepted: 'accepted',
  Completed: 'completed',
  Confirmed: 'confirmed',
  Terminated: 'terminated',
} as const;
/** A server transaction state. */
export type ServerState = (typeof ServerState)[keyof typeof ServerState];

/** How a server transaction writes and tells its user what happened. */
export interface ServerTxHooks {
  send: (bytes: Buffer) => void;
  /** Builds the bytes of an automatic 100 Trying (INVITE only). */
  buildTrying?: () => Buffer;
  /** Timer H fired without an ACK for a non-2xx final response. */
  onNoAck?: () => void;
  /** An ACK matched this transaction (non-2xx ACK, or a 2xx ACK in Accepted state). */
  onAck?: () => void;
  onTerminated?: () => void;
  /** The INVITE left Proceeding (a final response went out): CANCEL no longer applies (§9.2). */
  onFinal?: () => void;
}

/** The hooks still needed after Proceeding: the Trying builder and onFinal would only pin TU state for 64·T1. */
function settled(h: ServerTxHooks): ServerTxHooks {
  return { send: h.send, onNoAck: h.onNoAck, onAck: h.onAck, onTerminated: h.onTerminated };
}

/** Common shape of both server transactions. */
export interface ServerTransaction {
  readonly key: string;
  readonly state: ServerState;
  readonly isInvite: boolean;
  /** A retransmission of the request arrived. */
  retransmission(): void;
  /** The TU sends a response with this status. */
  respond(status: number, bytes: Buffer): void;
  terminate(): void;
}

/** INVITE server transaction. */
export class InviteServerTransaction implements ServerTransaction {
  readonly isInvite = true;
  state: ServerState = ServerState.Proceeding;
  private last: Buffer | undefined;
  private trying: TimerHandle | undefined;
  private g: TimerHandle | undefined;
  private h: TimerHandle | undefined;
  private i: TimerHandle | undefined;
  private l: TimerHandle | undefined;
  private interval: number;

  constructor(
    readonly key: string,
    private readonly ctx: TxContext,
    private readonly reliable: boolean,
    private hooks: ServerTxHooks,
    private readonly onGone: (tx: InviteServerTransaction) => void,
  ) {
    this.interval = ctx.timers.t1;
    // §17.2.1: a 100 Trying is due unless the TU answers within 200 ms.
    if (hooks.buildTrying) {
      if (ctx.timers.trying <= 0) this.sendTrying();
      else this.trying = ctx.wheel.schedule(ctx.timers.trying, () => this.sendTrying());
    }
  }

  retransmission(): void {
    if ((this.state === ServerState.Proceeding || this.state === ServerState.Completed) && this.last) {
      this.hooks.send(this.last);
    }
  }

  respond(status: number, bytes: Buffer): void {
    this.trying = disarm(this.trying);
    if (this.state === ServerState.Proceeding) {
      this.hooks.send(bytes);
      this.last = bytes;
      if (status < 200) return;
      this.leaveProceeding();
      if (status < 300) {
        // RFC 6026 §7.1: Accepted absorbs INVITE retransmissions; the TU retransmits the 2xx itself,
        // so the 2xx bytes need not stay here for Timer L.
        this.state = ServerState.Accepted;
        this.last = undefined;
        this.l = this.ctx.wheel.schedule(64 * this.ctx.timers.t1, () => this.terminate());
        return;
      }
      this.state = ServerState.Completed;
      if (!this.reliable) this.g = this.ctx.wheel.schedule(this.interval, () => this.timerG());
      this.h = this.ctx.wheel.schedule(64 * this.ctx.timers.t1, () => this.timerH());
      return;
    }
    if (this.state === ServerState.Accepted && status >= 200 && status < 300) this.hooks.send(bytes);
  }

  /** An ACK with this transaction's branch arrived. */
  ack(): void {
    if (this.state === ServerState.Completed) {
      this.state = ServerState.Confirmed;
      this.g = disarm(this.g);
      this.h = disarm(this.h);
      this.hooks.onAck?.();
      this.i = arm(this.ctx, this.reliable ? 0 : this.ctx.timers.t4, () => this.terminate());
    } else if (this.state === ServerState.Accepted) {
      this.hooks.onAck?.();
    }
  }

  terminate(): void {
    if (this.state === ServerState.Terminated) return;
    if (this.state === ServerState.Proceeding) this.leaveProceeding();
    this.state = ServerState.Terminated;
    this.last = undefined;
    this.trying = disarm(this.trying);
    this.g = disarm(this.g);
    this.h = disarm(this.h);
    this.i = disarm(this.i);
    this.l = disarm(this.l);
    this.onGone(this);
    this.hooks.onTerminated?.();
  }

  private leaveProceeding(): void {
    const onFinal = this.hooks.onFinal;
    this.hooks = settled(this.hooks);
    onFinal?.();
  }

  private sendTrying(): void {
    this.trying = undefined;
    if (this.state !== ServerState.Proceeding || this.last) return;
    const b = this.hooks.buildTrying?.();
    if (!b) return;
    this.last = b;
    this.hooks.send(b);
  }

  private timerG(): void {
    if (this.state !== ServerState.Completed || !this.last) return;
    this.hooks.send(this.last);
    this.interval = Math.min(this.interval * 2, this.ctx.timers.t2);
    this.g = this.ctx.wheel.schedule(this.interval, () => this.timerG());
  }

  private timerH(): void {
    this.h = undefined;
    if (this.state !== ServerState.Completed) return;
    this.hooks.onNoAck?.();
    this.terminate();
  }
}

/** Non-INVITE server transaction. */
export class NonInviteServerTransaction implements ServerTransaction {
  readonly isInvite = false;
  state: ServerState = ServerState.Trying;
  private last: Buffer | undefined;
  private j: TimerHandle | undefined;

  constructor(
    readonly key: string,
    private readonly ctx: TxContext,
    private readonly reliable: boolean,
    private readonly hooks: ServerTxHooks,
    private readonly onGone: (tx: NonInviteServerTransaction) => void,
  ) {}

  retransmission(): void {
    if (this.last && (this.state === ServerState.Proceeding || this.state === ServerState.Completed)) {
      this.hooks.send(this.last);
    }
  }

  respond(status: number, bytes: Buffer): void {
    if (this.state !== ServerState.Trying && this.state !== ServerState.Proceeding) return;
    this.hooks.send(bytes);
    this.last = bytes;
    if (status < 200) {
      this.state = ServerState.Proceeding;
      return;
    }
    this.state = ServerState.Completed;
    this.j = arm(this.ctx, this.reliable ? 0 : 64 * this.ctx.timers.t1, () => this.terminate());
  }

  terminate(): void {
    if (this.state === ServerState.Terminated) return;
    this.state = ServerState.Terminated;
    this.j = disarm(this.j);
    this.onGone(this);
    this.hooks.onTerminated?.();
  }
}
