/**
 * Transaction tables and the matching rules of RFC 3261 §17.1.3 (client: branch + CSeq method)
 * and §17.2.3 (server: branch + sent-by + method, ACK matching INVITE), plus merged-request
 * detection (§8.2.2.2).
 */
import type { ClientTransaction } from './client.js';
import type { InviteServerTransaction, ServerTransaction } from './server.js';

/**
 * Keys live as long as their transaction (Timer J/L: 64·T1). Built from slices of the parsed
 * header text they would pin the whole message as rope pieces; charCodeAt makes V8 flatten them
 * into one fresh string.
 */
function flat(key: string): string {
  key.charCodeAt(0);
  return key;
}

/** Key of a client transaction (§17.1.3). */
export function clientKey(branch: string, cseqMethod: string): string {
  return flat(`${branch}\u0000${cseqMethod}`);
}

/** Key of a server transaction (§17.2.3); ACK is filed under INVITE. */
export function serverKey(branch: string, sentBy: string, method: string): string {
  return flat(`${branch}\u0000${sentBy}\u0000${method === 'ACK' ? 'INVITE' : method}`);
}

/** Key used to spot the same request arriving over two paths (§8.2.2.2). */
export function mergeKey(fromTag: string, callId: string, cseq: string): string {
  return flat(`${fromTag}\u0000${callId}\u0000${cseq}`);
}

/** The live transactions of one stack. */
export class TransactionTable<R> {
  private readonly clients = new Map<string, ClientTransaction<R>>();
  private readonly servers = new Map<string, ServerTransaction>();
  private readonly merged = new Map<string, string>();
  private readonly mergeOf = new Map<string, string>();

  /** Client transaction for a response's top-Via branch and CSeq method. */
  client(key: string): ClientTransaction<R> | undefined {
    return this.clients.get(key);
  }

  /** Server transaction for a request. */
  server(key: string): ServerTransaction | undefined {
    return this.servers.get(key);
  }

  /** The INVITE server transaction a CANCEL or ACK refers to. */
  invite(branch: string, sentBy: string): InviteServerTransaction | undefined {
    const tx = this.servers.get(serverKey(branch, sentBy, 'INVITE'));
    return tx?.isInvite ? (tx as InviteServerTransaction) : undefined;
  }

  /** Registers a client transaction. */
  addClient(tx: ClientTransaction<R>): void {
    this.clients.set(tx.key, tx);
  }

  /** Registers a server transaction, remembering its merge key when the request had no To tag. */
  addServer(tx: ServerTransaction, merge?: string): void {
    this.servers.set(tx.key, tx);
    if (merge) {
      this.merged.set(merge, tx.key);
      this.mergeOf.set(tx.key, merge);
    }
  }

  /** True when another live transaction already has this From tag + Call-ID + CSeq (→ 482). */
  isMerged(merge: string, key: string): boolean {
    const other = this.merged.get(merge);
    return other !== undefined && other !== key;
  }

  /** Forgets a client transaction. */
  removeClient(tx: ClientTransaction<R>): void {
    if (this.clients.get(tx.key) === tx) this.clients.delete(tx.key);
  }

  /** Forgets a server transaction. */
  removeServer(tx: ServerTransaction): void {
    if (this.servers.get(tx.key) !== tx) return;
    this.servers.delete(tx.key);
    const m = this.mergeOf.get(tx.key);
    if (m !== undefined) {
      this.mergeOf.delete(tx.key);
      if (this.merged.get(m) === tx.key) this.merged.delete(m);
    }
  }

  /** Live transaction counts. */
  get sizes(): { client: number; server: number } {
    return { client: this.clients.size, server: this.servers.size };
  }

  /** Terminates everything (stack shutdown). */
  clear(): void {
    for (const tx of [...this.clients.values()]) tx.terminate();
    for (const tx of [...this.servers.values()]) tx.terminate();
    this.clients.clear();
    this.servers.clear();
    this.merged.clear();
    this.mergeOf.clear();
  }
}
