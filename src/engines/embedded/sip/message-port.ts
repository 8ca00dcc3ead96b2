/**
 * The one place where the engine touches the message module: every other file imports message
 * types and functions from here, so the parser/serialiser can change behind a single seam.
 */
import { frameStream as frameOne } from './message/index.js';
import type { StreamFramer } from './transport/types.js';

export {
  buildAuthorization,
  createResponse,
  defaultReason,
  formatChallenge,
  newBranch,
  newCallId,
  newTag,
  parseDigestCredentials,
  parseMessage,
  SipRequest,
  SipResponse,
  verifyAuthorization,
  type DigestAlgorithm,
} from './message/index.js';

/** Adapts the stateless `frameStream(buf)` of the message module to a per-connection push framer (§18.3). */
export function createFramer(onMessage: (m: Buffer) => void, onError: (e: unknown) => void): StreamFramer {
  let acc: Buffer = Buffer.alloc(0);
  return {
    push(chunk: Buffer): void {
      acc = acc.length > 0 ? Buffer.concat([acc, chunk]) : chunk;
      for (;;) {
        const r = frameOne(acc);
        if ('error' in r) {
          acc = Buffer.alloc(0);
          onError(r.error);
          return;
        }
        acc = r.rest;
        if ('need' in r) return;
        onMessage(r.message);
        if (acc.length === 0) return;
      }
    },
  };
}
