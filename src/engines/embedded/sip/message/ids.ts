/** Random identifiers: branch (RFC 3261 §8.1.1.7), tag (§19.3), Call-ID (§8.1.1.4). */
import { randomBytes } from 'node:crypto';

/** RFC 3261 §8.1.1.7 magic cookie that marks a RFC 3261 branch. */
export const BRANCH_COOKIE = 'z9hG4bK';

// One pooled random buffer keeps id generation off the crypto syscall path on the hot path.
let pool = randomBytes(4096);
let poolPos = 0;

function randomHex(bytes: number): string {
  if (poolPos + bytes > pool.length) {
    pool = randomBytes(4096);
    poolPos = 0;
  }
  const s = pool.toString('hex', poolPos, poolPos + bytes);
  poolPos += bytes;
  return s;
}

/** A fresh Via branch, starting with the magic cookie. */
export function newBranch(): string {
  return BRANCH_COOKIE + randomHex(10);
}

/** A fresh From/To tag (≥ 32 bits of randomness, §19.3). */
export function newTag(): string {
  return randomHex(6);
}

/** A fresh Call-ID, optionally `@host` (§8.1.1.4). */
export function newCallId(host?: string): string {
  const id = randomHex(16);
  return host !== undefined && host.length > 0 ? `${id}@${host}` : id;
}
