/**
 * Client transactions: INVITE (RFC 3261 §17.1.1 with RFC 6026 Accepted state) and non-INVITE
 * (§17.1.2). They see requests and responses as status codes plus pre-serialised bytes, so a
 * retransmission is one socket write and no re-serialisation.
 */
import type { TimerHandle } from '../timer-wheel.js';
import { arm, disarm, type TxContext } from './timers.js';

/** Client transaction states (§17.1.1.2 figure 5, §17.1.2.2 figure 6, RFC 6026 §7.2). */
export const ClientState = {
  Calling: 'calling',
  Trying: 'trying',
  Proceeding: 'proceeding',
  Accepted: 'accepted',
  Completed: 'completed',
  Terminated: 'terminated',
} as const;
/** A client transaction state. */
export type ClientState = (typeof ClientState)[keyof typeof ClientState];

/** What the transaction user hears back. */
export interface ClientTxUser<R> {
  onResponse(res: R, status: number): void;
  /** Timer B/F fired or the transport failed: the TU treats it as 408 / 503 (§8.1.3.1). */
  onFailure(kind: 'timeout' | 'transport', err?: Error): void;
  onTerminated?(): void;
}

/** How the transaction writes to the network. */
export interface ClientTxWire<R> {
  send(bytes: Buffer, onError: (err: Error) => void): void;
  /** Builds the ACK for a non-2xx final response (§17.1.1.3); only used by INVITE transactions. */
  buildAck?(res: R): Buffer;
}

/** Common shape of both client transactions. */
export interface ClientTransaction<R> {
  readonly key: string;
  readonly state: ClientState;
  receive(res: R, status: number): void;
  terminate(): void;
}

/** INVITE client transaction. */
export class InviteClientTransaction<R> implements ClientTransaction<R> {
  state: ClientState = ClientState.Calling;
  private a: TimerHandle | undefined;
  private b: TimerHandle | undefined;
  private d: TimerHandle | undefined;
  private m: TimerHandle | undefined;
  private ack: Buffer | undefined;
  private interval: number;

  constructor(
    readonly key: string,
    private readonly ctx: TxContext,
    private readonly request: Buffer,
    private readonly reliable: boolean,
    private readonly wire: ClientTxWire<R>,
    private readonly tu: ClientTxUser<R>,
    private readonly onGone: (tx: InviteClientTransaction<R>) => void,
  ) {
    this.interval = ctx.timers.t1;
    this.wire.send(request, (e) => this.transportError(e));
    if (!reliable) this.a = ctx.wheel.schedule(this.interval, () => this.timerA());
    this.b = ctx.wheel.schedule(64 * ctx.timers.t1, () => this.timerB());
  }

  receive(res: R, status: number): void {
    switch (this.state) {
      case ClientState.Calling:
      case ClientState.Proceeding:
        if (status < 200) {
          this.state = ClientState.Proceeding;
          this.a = disarm(this.a);
          this.tu.onResponse(res, status);
        } else if (status < 300) {
          this.accept();
          this.tu.onResponse(res, status);
        } else {
          this.complete(res);
          this.tu.onResponse(res, status);
        }
        return;
      case ClientState.Accepted:
        // RFC 6026 §8.4: retransmitted 2xx go to the TU, which re-sends its ACK.
        if (status >= 200 && status < 300) this.tu.onResponse(res, status);
        return;
      case ClientState.Completed:
        if (status >= 300 && this.ack) this.wire.send(this.ack, () => undefined);
        return;
      case ClientState.Trying:
      case ClientState.Terminated:
      default:
        return;
    }
  }

  terminate(): void {
    if (this.state === ClientState.Terminated) return;
    this.state = ClientState.Terminated;
    this.a = disarm(this.a);
    this.b = disarm(this.b);
    this.d = disarm(this.d);
    this.m = disarm(this.m);
    this.onGone(this);
    this.tu.onTerminated?.();
  }

  private accept(): void {
    this.state = ClientState.Accepted;
    this.a = disarm(this.a);
    this.b = disarm(this.b);
    this.m = this.ctx.wheel.schedule(64 * this.ctx.timers.t1, () => this.terminate());
  }

  private complete(res: R): void {
    this.state = ClientState.Completed;
    this.a = disarm(this.a);
    this.b = disarm(this.b);
    this.ack = this.wire.buildAck?.(res);
    if (this.ack) this.wire.send(this.ack, () => undefined);
    this.d = arm(this.ctx, this.reliable ? 0 : this.ctx.timers.d, () => this.terminate());
  }

  private timerA(): void {
    if (this.state !== ClientState.Calling) return;
    this.wire.send(this.request, (e) => this.transportError(e));
    this.interval *= 2;
    this.a = this.ctx.wheel.schedule(this.interval, () => this.timerA());
  }

  private timerB(): void {
    this.b = undefined;
    if (this.state !== ClientState.Calling) return;
    this.tu.onFailure('timeout');
    this.terminate();
  }

  private transportError(err: Error): void {
    if (this.state === ClientState.Terminated || this.state === ClientState.Completed) return;
    this.tu.onFailure('transport', err);
    this.terminate();
  }
}

/** Non-INVITE client transaction. */
export class NonInviteClientTransaction<R> implements ClientTransaction<R> {
  state: ClientState = ClientState.Trying;
  private e: TimerHandle | undefined;
  private f: TimerHandle | undefined;
  private k: TimerHandle | undefined;
  private interval: number;

  constructor(
    readonly key: string,
    private readonly ctx: TxContext,
    private readonly request: Buffer,
    private readonly reliable: boolean,
    private readonly wire: ClientTxWire<R>,
    private readonly tu: ClientTxUser<R>,
    private readonly onGone: (tx: NonInviteClientTransaction<R>) => void,
  ) {
    this.interval = ctx.timers.t1;
    this.wire.send(request, (e) => this.transportError(e));
    if (!reliable) this.e = ctx.wheel.schedule(this.interval, () => this.timerE());
    this.f = ctx.wheel.schedule(64 * ctx.timers.t1, () => this.timerF());
  }

  receive(res: R, status: number): void {
    if (this.state !== ClientState.Trying && this.state !== ClientState.Proceeding) return;
    if (status < 200) {
      this.state = ClientState.Proceeding;
      this.tu.onResponse(res, status);
      return;
    }
    this.state = ClientState.Completed;
    this.e = disarm(this.e);
    this.f = disarm(this.f);
    this.tu.onResponse(res, status);
    this.k = arm(this.ctx, this.reliable ? 0 : this.ctx.timers.t4, () => this.terminate());
  }

  terminate(): void {
    if (this.state === ClientState.Terminated) return;
    this.state = ClientState.Terminated;
    this.e = disarm(this.e);
    this.f = disarm(this.f);
    this.k = disarm(this.k);
    this.onGone(this);
    this.tu.onTerminated?.();
  }

  private timerE(): void {
    if (this.state !== ClientState.Trying && this.state !== ClientState.Proceeding) return;
    this.wire.send(this.request, (e) => this.transportError(e));
    // §17.1.2.2: doubling up to T2 while Trying; a flat T2 once a provisional arrived.
    this.interval = this.state === ClientState.Proceeding ? this.ctx.timers.t2 : Math.min(this.interval * 2, this.ctx.timers.t2);
    this.e = this.ctx.wheel.schedule(this.interval, () => this.timerE());
  }

  private timerF(): void {
    this.f = undefined;
    if (this.state !== ClientState.Trying && this.state !== ClientState.Proceeding) return;
    this.tu.onFailure('timeout');
    this.terminate();
  }

  private transportError(err: Error): void {
    if (this.state !== ClientState.Trying && this.state !== ClientState.Proceeding) return;
    this.tu.onFailure('transport', err);
    this.terminate();
  }
}
