/**
 * Which node owns each call leg, cluster-wide. A flow learns a leg's id (the `callid` `originate` returns, an
 * inbound call's `call.id`), not the session id the call directory records, so every leg this node holds is
 * recorded in the shared store under its own id with a TTL this node keeps refreshing (a crashed node's legs
 * age out). The directory consults it to route get/hangup/end-call for a leg id to the owning node.
 */
import type { CallLeg } from '../../ports/call-control.js';
import type { Store } from '../../ports/store.js';

/** Options for the leg registry. */
export interface LegOwnersOptions {
  store: Store;
  nodeId: string;
  /** How long a leg record lives without a refresh. */
  recordTtlMs?: number;
}

/** The cluster-wide leg id → node map, plus the legs this node holds. */
export class LegOwners {
  private readonly store: Store;
  private readonly ttl: number;
  private readonly local = new Set<string>();
  private refresher: NodeJS.Timeout | undefined;

  constructor(private readonly opts: LegOwnersOptions) {
    this.store = opts.store.namespace('legs:');
    this.ttl = opts.recordTtlMs ?? 60_000;
  }

  /** Start refreshing this node's records. */
  start(): void {
    this.refresher = setInterval(() => void this.refreshAll(), Math.max(1000, this.ttl / 3));
    this.refresher.unref();
  }

  /** Stop refreshing and forget this node's legs. */
  async stop(): Promise<void> {
    if (this.refresher) clearInterval(this.refresher);
    this.refresher = undefined;
    const ids = [...this.local];
    this.local.clear();
    await Promise.all(ids.map((id) => this.store.delete(id))).catch(() => undefined);
  }

  /** Record a leg this node holds until it ends; resolves once the record is written. */
  async track(leg: CallLeg): Promise<void> {
    const id = leg.info.id;
    if (leg.state === 'ended' || this.local.has(id)) return;
    this.local.add(id);
    void leg.ended.then(() => {
      this.local.delete(id);
      return this.store.delete(id);
    }).catch(() => undefined);
    await this.write(id);
  }

  /** Whether this node holds the leg. */
  holds(id: string): boolean {
    return this.local.has(id);
  }

  /** The node holding leg `id`, if any node does. */
  async ownerOf(id: string): Promise<string | undefined> {
    if (this.local.has(id)) return this.opts.nodeId;
    const record = (await this.store.get(id)) as { node?: unknown } | undefined;
    return typeof record?.node === 'string' ? record.node : undefined;
  }

  private async write(id: string): Promise<void> {
    await this.store.put(id, { node: this.opts.nodeId }, { ttlMs: this.ttl });
  }

  private async refreshAll(): Promise<void> {
    await Promise.all([...this.local].map((id) => this.write(id))).catch(() => undefined);
  }
}
