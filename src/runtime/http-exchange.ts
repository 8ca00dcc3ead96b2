/** An HttpExchange whose reply is a promise, for the server's flow-route dispatcher. */
import type { HttpExchange } from './step-context.js';

/** What a flow answered. */
export interface ExchangeReply {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** An exchange plus the promise of its (first) reply. */
export function createHttpExchange(): { exchange: HttpExchange; reply: Promise<ExchangeReply> } {
  let resolve!: (r: ExchangeReply) => void;
  const reply = new Promise<ExchangeReply>((r) => (resolve = r));
  let responded = false;
  const exchange: HttpExchange = {
    get responded() {
      return responded;
    },
    respond(status, body, headers) {
      if (responded) return;
      responded = true;
      resolve({ status, body, headers });
    },
  };
  return { exchange, reply };
}
