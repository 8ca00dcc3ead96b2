/**
 * The SIP core: parses what the transports deliver, applies access control before any transaction
 * exists, matches messages to transactions (§17.1.3, §17.2.3) and hands new requests to the user.
 * No exception escapes a socket handler; failures are counted in `stats`.
 */
import { AccessControl, type AccessControlOptions } from './access-control.js';
import { parseCSeq, parseVia, stampVia, tagOf, type ViaInfo } from './header-util.js';
import { createFramer, createResponse, parseMessage, SipRequest, SipResponse, newBranch, newTag } from './message-port.js';
import { InviteClientTransaction, NonInviteClientTransaction, type ClientTxUser } from './transaction/client.js';
import { clientKey, mergeKey, serverKey, TransactionTable } from './transaction/manager.js';
import { InviteServerTransaction, NonInviteServerTransaction, type ServerTransaction, type ServerTxHooks } from './transaction/server.js';
import { DEFAULT_TIMERS, type TimerConfig, type TxContext } from './transaction/timers.js';
import { TimerWheel } from './timer-wheel.js';
import type { SessionTimerOptions } from './session-timer.js';
import { responseDestination, TransportLayer, type ListenOptions } from './transport/layer.js';
import { isReliable, type Endpoint, type Source } from './transport/types.js';

/** Options of the core. */
export interface CoreOptions {
  timers?: Partial<TimerConfig>;
  access?: AccessControlOptions & { rejectWith403?: boolean };
  userAgent?: string;
  /** Session timers (RFC 4028) on dialogs we answer. */
  sessionTimer?: SessionTimerOptions;
}

/** Counters exposed for metrics and tests. */
export interface SipStats {
  received: number;
  malformedDropped: number;
  malformedRejected: number;
  accessDropped: number;
  rateLimited: number;
  strayResponses: number;
  retransmissionsAbsorbed: number;
  merged: number;
  handlerErrors: number;
}

/** A request that opened a server transaction, with where it came from. */
export interface InboundContext {
  req: SipRequest;
  source: Source;
  via: ViaInfo;
  tx: ServerTransaction;
  /** Destination of every response (§18.2.2, RFC 3581). */
  dest: Endpoint & { conn?: Source['conn'] };
  /** The To tag used for responses that create a dialog. */
  localTag: string;
  /** Called when a CANCEL matched this INVITE (§9.2); the core has already answered the CANCEL. */
  onCancel?: () => void;
  cancelled: boolean;
}

/** Upcalls from the core to the stack. */
export interface CoreUser {
  onRequest(ctx: InboundContext): void;
  /** An ACK that matched no transaction: the ACK for a 2xx, owned by a dialog (§13.3.1.4). */
  onAck(req: SipRequest, source: Source): void;
  /** A 2xx to an INVITE whose client transaction is gone: the dialog re-sends its ACK (§13.2.2.4). */
  onStray2xx(res: SipResponse): void;
}

/** Parses, filters, matches; owns transports, timers and the transaction table. */
export class SipCore {
  readonly wheel = new TimerWheel({ tickMs: 10 });
  readonly timers: TimerConfig;
  readonly sessionTimer: SessionTimerOptions;
  readonly transports: TransportLayer;
  readonly table = new TransactionTable<SipResponse>();
  readonly stats: SipStats = {
    received: 0, malformedDropped: 0, malformedRejected: 0, accessDropped: 0, rateLimited: 0,
    strayResponses: 0, retransmissionsAbsorbed: 0, merged: 0, handlerErrors: 0,
  };
  /** INVITE server transactions and their context, for CANCEL (§9.2). */
  private readonly pendingInvites = new WeakMap<ServerTransaction, InboundContext>();
  private readonly access: AccessControl | undefined;
  private readonly ctx: TxContext;
  private readonly serverGone = (tx: ServerTransaction): void => this.table.removeServer(tx);
  user: CoreUser | undefined;

  constructor(private readonly opts: CoreOptions = {}) {
    this.timers = { ...DEFAULT_TIMERS, ...opts.timers };
    this.sessionTimer = opts.sessionTimer ?? {};
    this.ctx = { wheel: this.wheel, timers: this.timers };
    this.access = opts.access && (opts.access.allow?.length || opts.access.ratePerSecond) ? new AccessControl(opts.access) : undefined;
    this.transports = new TransportLayer((data, src) => this.receive(data, src), createFramer);
  }

  /** Binds transports. */
  listen(opts: ListenOptions): ReturnType<TransportLayer['listen']> {
    return this.transports.listen(opts);
  }

  /** Entry point for every datagram and framed stream message. */
  receive(data: Buffer, source: Source): void {
    this.stats.received++;
    try {
      const parsed = parseMessage(data);
      if (!parsed.ok) return this.malformed(parsed.error.status, parsed.error.message, parsed.partialRequest, source);
      const msg = parsed.message;
      if (msg instanceof SipResponse) this.receiveResponse(msg);
      else this.receiveRequest(msg, source);
    } catch {
      this.stats.handlerErrors++;
    }
  }

  /** Sends a request through a new client transaction; the request must already carry its top Via. */
  sendRequest(req: SipRequest, dest: Endpoint, tu: ClientTxUser<SipResponse>, buildAck?: (res: SipResponse) => Buffer): { branch: string } {
    const via = parseVia(req.get('via') ?? '');
    const branch = via?.branch ?? '';
    const key = clientKey(branch, req.method === 'ACK' ? 'INVITE' : req.method);
    const bytes = req.toBuffer();
    const reliable = isReliable(dest.protocol);
    const wire = { send: (b: Buffer, onError: (e: Error) => void) => this.transports.send(b, dest, onError), buildAck };
    const gone = (tx: { key: string }) => this.table.removeClient(tx as never);
    const tx =
      req.method === 'INVITE'
        ? new InviteClientTransaction(key, this.ctx, bytes, reliable, wire, tu, gone)
        : new NonInviteClientTransaction(key, this.ctx, bytes, reliable, wire, tu, gone);
    if (tx.state !== 'terminated') this.table.addClient(tx);
    return { branch };
  }

  /** Sends bytes outside any transaction (ACK for 2xx, §13.2.2.4). */
  sendRaw(bytes: Buffer, dest: Endpoint): void {
    this.transports.send(bytes, dest);
  }

  /** A Via value for a request we originate over `protocol`. */
  viaFor(protocol: Endpoint['protocol'], branch = newBranch()): string {
    const local = this.transports.local(protocol);
    const hostport = local ? `${local.host}:${local.port}` : '127.0.0.1';
    return `SIP/2.0/${protocol.toUpperCase()} ${hostport};branch=${branch};rport`;
  }

  /** Sends a response on an inbound transaction. */
  respond(ic: InboundContext, res: SipResponse): void {
    ic.tx.respond(res.status, res.toBuffer());
  }

  /** Builds and sends a response in one go (used by the core for 400/481/482/487/503). */
  reply(ic: InboundContext, status: number, reason: string): SipResponse {
    const res = createResponse(ic.req, status, reason, { toTag: ic.localTag });
    if (this.opts.userAgent) res.set('server', this.opts.userAgent);
    this.respond(ic, res);
    return res;
  }

  /** Stops timers and closes transports. */
  async close(): Promise<void> {
    this.table.clear();
    this.wheel.stop();
    await this.transports.close();
  }

  private malformed(status: number, error: string, partial: SipRequest | undefined, source: Source): void {
    const via = partial ? parseVia(partial.get('via') ?? '') : undefined;
    // §8.2 / §21.4.1: answer 400 only when the response can be routed and correlated.
    if (!partial || !via || partial.method === 'ACK' || !partial.get('call-id') || !parseCSeq(partial.get('cseq')) || !partial.get('from')) {
      this.stats.malformedDropped++;
      return;
    }
    this.stats.malformedRejected++;
    const phrase = status === 400 ? `Bad Request (${error.replace(/[\r\n]/g, ' ').slice(0, 100)})` : undefined;
    const res = createResponse(partial, status, phrase);
    this.transports.send(res.toBuffer(), responseDestination(source, via.port, via.rport, via.maddr));
  }

  private receiveResponse(res: SipResponse): void {
    const via = parseVia(res.get('via') ?? '');
    const cseq = parseCSeq(res.get('cseq'));
    if (!via?.branch || !cseq) {
      this.stats.malformedDropped++;
      return;
    }
    const tx = this.table.client(clientKey(via.branch, cseq.method));
    if (tx) return tx.receive(res, res.status);
    if (cseq.method === 'INVITE' && res.status >= 200 && res.status < 300) return this.user?.onStray2xx(res);
    this.stats.strayResponses++;
  }

  private receiveRequest(req: SipRequest, source: Source): void {
    const rawVia = req.get('via') ?? '';
    const via = parseVia(rawVia);
    const cseq = parseCSeq(req.get('cseq'));
    if (!via || !cseq || (cseq.method !== req.method && req.method !== 'ACK' && req.method !== 'CANCEL')) {
      return this.malformed(400, !via ? 'bad Via' : 'bad CSeq', req, source);
    }
    if (this.access && !this.admit(req, source, via)) return;
    const stamped = stampVia(rawVia, via, source.address, source.port);
    if (stamped !== undefined) replaceTopVia(req, stamped);
    // RFC 2543 peers send no magic-cookie branch; fall back to Call-ID + CSeq + From tag (§17.2.3).
    const branch = via.branch?.startsWith('z9hG4bK') ? via.branch : `${req.get('call-id')}|${cseq.seq}|${tagOf(req.get('from'))}`;
    if (req.method === 'ACK') {
      const inv = this.table.invite(branch, via.sentBy);
      if (inv && inv.state !== 'accepted') return inv.ack();
      return this.user?.onAck(req, source);
    }
    const key = serverKey(branch, via.sentBy, req.method);
    const existing = this.table.server(key);
    if (existing) {
      this.stats.retransmissionsAbsorbed++;
      return existing.retransmission();
    }
    const fromTag = tagOf(req.get('from'));
    const merge = !tagOf(req.get('to')) && fromTag ? mergeKey(fromTag, req.get('call-id') ?? '', req.get('cseq') ?? '') : undefined;
    if (merge && this.table.isMerged(merge, key)) {
      this.stats.merged++;
      this.reply(this.createServerTx(req, source, via, key), 482, 'Loop Detected');
      return;
    }
    const ic = this.createServerTx(req, source, via, key, merge);
    if (req.method === 'CANCEL') return this.cancel(ic, branch, via);
    this.user?.onRequest(ic);
  }

  private admit(req: SipRequest, source: Source, via: ViaInfo): boolean {
    const verdict = this.access!.check(source.address);
    if (verdict === 'allow') return true;
    if (verdict === 'rate-limited') this.stats.rateLimited++;
    else this.stats.accessDropped++;
    const loud = this.opts.access?.rejectWith403 || source.protocol !== 'udp';
    if (loud && req.method !== 'ACK' && verdict === 'not-allowed') {
      const res = createResponse(req, 403, 'Forbidden');
      this.transports.send(res.toBuffer(), responseDestination(source, via.port, via.rport, via.maddr));
    }
    return false;
  }

  private createServerTx(req: SipRequest, source: Source, via: ViaInfo, key: string, merge?: string): InboundContext {
    const dest = responseDestination(source, via.port, via.rport, via.maddr);
    const reliable = isReliable(source.protocol);
    const ic = { req, source, via, dest, localTag: newTag(), cancelled: false } as InboundContext;
    // Hooks are built outside this scope so the closures a transaction keeps for Timer J/L (32 s)
    // do not pin the parsed request and its context.
    ic.tx =
      req.method === 'INVITE'
        ? new InviteServerTransaction(key, this.ctx, reliable, this.inviteHooks(ic), this.serverGone)
        : new NonInviteServerTransaction(key, this.ctx, reliable, { send: sender(this.transports, dest) }, this.serverGone);
    if (req.method === 'INVITE') this.pendingInvites.set(ic.tx, ic);
    this.table.addServer(ic.tx, merge);
    return ic;
  }

  /** INVITE hooks: the 100 Trying builder and the CANCEL bookkeeping are dropped by the transaction on its final response. */
  private inviteHooks(ic: InboundContext): ServerTxHooks {
    return {
      send: sender(this.transports, ic.dest),
      buildTrying: () => createResponse(ic.req, 100, 'Trying').toBuffer(),
      onFinal: () => this.pendingInvites.delete(ic.tx),
    };
  }

  /** §9.2: 200 to the CANCEL, then 487 to the INVITE if it is still unanswered. */
  private cancel(ic: InboundContext, branch: string, via: ViaInfo): void {
    const inv = this.table.invite(branch, via.sentBy);
    if (!inv) {
      this.reply(ic, 481, 'Call/Transaction Does Not Exist');
      return;
    }
    this.reply(ic, 200, 'OK');
    const target = this.pendingInvites.get(inv);
    if (!target || inv.state !== 'proceeding') return;
    target.cancelled = true;
    this.reply(target, 487, 'Request Terminated');
    try {
      target.onCancel?.();
    } catch {
      this.stats.handlerErrors++;
    }
  }
}

/** A send function that captures only the transport layer and the destination. */
function sender(transports: TransportLayer, dest: Endpoint & { conn?: Source['conn'] }): (b: Buffer) => void {
  return (b) => transports.send(b, dest);
}

/** Rewrites only the top Via entry; `set` would drop the others. */
function replaceTopVia(req: SipRequest, value: string): void {
  const hs = req.headers;
  for (let i = 0; i < hs.length; i++) {
    const n = hs[i]![0].toLowerCase();
    if (n === 'via' || n === 'v') {
      hs[i] = [hs[i]![0], value];
      return;
    }
  }
}
