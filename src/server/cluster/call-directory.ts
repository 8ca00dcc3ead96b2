/**
 * The cluster-wide call directory. Each node records its live calls in the shared store (with a TTL it keeps
 * refreshing, so a crashed node's calls age out) and answers get/hangup requests for them on its own bus
 * channel. Any node's REST API can therefore list, inspect and hang up any call. With the memory store and
 * bus this degenerates to a single node, through the same code.
 */
import { randomUUID } from 'node:crypto';
import type { Bus, Store } from '../../ports/store.js';
import type { CallDetail, CallSummary } from '../http/api-types.js';

/** The calls this node runs itself. */
export interface LocalCalls {
  list(): CallSummary[];
  get(id: string): CallDetail | undefined;
  hangup(id: string): Promise<boolean>;
}

type Request = { op: 'get' | 'hangup'; id: string; replyTo: string };
type Reply = { ok: boolean; call?: CallDetail };

/** Options for the directory. */
export interface CallDirectoryOptions {
  store: Store;
  bus: Bus;
  nodeId: string;
  local: LocalCalls;
  /** How long a call record lives without a refresh. */
  recordTtlMs?: number;
  /** How long to wait for another node to answer. */
  requestTimeoutMs?: number;
  /** Which node holds a call leg, for ids that are leg ids rather than session ids (LegOwners). */
  owners?: { ownerOf(id: string): Promise<string | undefined> };
}

/** Cluster-wide view of calls. */
export class CallDirectory {
  private readonly store: Store;
  private readonly ttl: number;
  private readonly timeout: number;
  private refresher: NodeJS.Timeout | undefined;
  private unsubscribe: (() => Promise<void>) | undefined;

  constructor(private readonly opts: CallDirectoryOptions) {
    this.store = opts.store.namespace('calls:');
    this.ttl = opts.recordTtlMs ?? 60_000;
    this.timeout = opts.requestTimeoutMs ?? 2_000;
  }

  /** Start answering other nodes and refreshing our records. */
  async start(): Promise<void> {
    this.unsubscribe = await this.opts.bus.subscribe(`node:${this.opts.nodeId}`, (m) => void this.answer(m as Request));
    this.refresher = setInterval(() => void this.refreshAll(), Math.max(1000, this.ttl / 3));
    this.refresher.unref();
  }

  async stop(): Promise<void> {
    if (this.refresher) clearInterval(this.refresher);
    await this.unsubscribe?.();
    await Promise.all(this.opts.local.list().map((c) => this.store.delete(c.id)));
  }

  /** Record a call this node started (or update its state). */
  async register(call: CallSummary): Promise<void> {
    await this.store.put(call.id, { ...call, node: this.opts.nodeId }, { ttlMs: this.ttl });
  }

  /** Forget a call that ended here. */
  async unregister(id: string): Promise<void> {
    await this.store.delete(id);
  }

  /** Every live call on every node. */
  async list(): Promise<CallSummary[]> {
    const local = new Map(this.opts.local.list().map((c) => [c.id, c]));
    const ids = await this.store.keys('', 10_000);
    const remote = await Promise.all(ids.filter((id) => !local.has(id)).map((id) => this.store.get(id) as Promise<CallSummary | undefined>));
    return [...local.values(), ...remote.filter((c): c is CallSummary => c !== undefined)];
  }

  /** A call's detail (by session or leg id), asking its node when it is not ours. */
  async get(id: string): Promise<CallDetail | undefined> {
    const mine = this.opts.local.get(id);
    if (mine) return mine;
    const record = (await this.store.get(id)) as CallSummary | undefined;
    const node = record?.node ?? (await this.opts.owners?.ownerOf(id));
    if (node === undefined || node === this.opts.nodeId) return undefined;
    const reply = await this.ask(node, 'get', id);
    if (!reply) return record ? { ...record, trace: [] } : undefined;
    return reply.ok ? reply.call : undefined;
  }

  /** Hang up a call (by session or leg id) wherever it runs. */
  async hangup(id: string): Promise<boolean> {
    if (this.opts.local.get(id)) return this.opts.local.hangup(id);
    const record = (await this.store.get(id)) as CallSummary | undefined;
    const node = record?.node ?? (await this.opts.owners?.ownerOf(id));
    if (node === undefined) return false;
    if (node === this.opts.nodeId) return this.opts.local.hangup(id);
    const reply = await this.ask(node, 'hangup', id);
    return reply?.ok ?? false;
  }

  private async refreshAll(): Promise<void> {
    await Promise.all(this.opts.local.list().map((c) => this.register(c))).catch(() => undefined);
  }

  private async answer(req: Request): Promise<void> {
    if (typeof req?.id !== 'string' || typeof req.replyTo !== 'string') return;
    let reply: Reply;
    if (req.op === 'get') {
      const call = this.opts.local.get(req.id);
      reply = call ? { ok: true, call } : { ok: false };
    } else {
      reply = { ok: await this.opts.local.hangup(req.id) };
    }
    await this.opts.bus.publish(req.replyTo, reply);
  }

  private async ask(node: string, op: Request['op'], id: string): Promise<Reply | undefined> {
    const replyTo = `reply:${randomUUID()}`;
    let settle: (r: Reply | undefined) => void = () => undefined;
    const answered = new Promise<Reply | undefined>((r) => (settle = r));
    const off = await this.opts.bus.subscribe(replyTo, (m) => settle(m as Reply));
    const timer = setTimeout(() => settle(undefined), this.timeout);
    try {
      await this.opts.bus.publish(`node:${node}`, { op, id, replyTo } satisfies Request);
      return await answered;
    } finally {
      clearTimeout(timer);
      await off();
    }
  }
}
