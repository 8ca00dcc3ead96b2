/**
 * Inbound digest authentication (RFC 3261 §22, RFC 7616): challenges with one header per
 * algorithm, qop=auth, stale=true on expired nonces, nonce-count replay tracking.
 */
import type { InboundRequest, OutboundResponse } from './inbound.js';
import { formatChallenge, parseDigestCredentials, verifyAuthorization, type DigestAlgorithm } from './message-port.js';
import { NonceStore } from './nonce-store.js';
import type { Middleware } from './stack.js';

/** Settings of the authenticator. */
export interface AuthOptions {
  realm: string;
  /** Looks up the password of a user; undefined means unknown user. */
  lookup: (username: string, realm: string) => Promise<string | undefined>;
  algorithms?: DigestAlgorithm[];
  nonceTtlMs?: number;
  /** Clock for nonce expiry (default Date.now). */
  now?: () => number;
  /** Challenge with 407/Proxy-Authenticate instead of 401/WWW-Authenticate. */
  proxy?: boolean;
}

/** The outcome of `authenticate`: the user on success (no response sent), else a challenge was sent. */
export type AuthResult = { ok: true; username: string } | { ok: false };

/** Checks a request's credentials; sends the 401/407 challenge itself when they are missing or wrong. */
export function createAuthenticator(opts: AuthOptions): (req: InboundRequest, res: OutboundResponse) => Promise<AuthResult> {
  const nonces = new NonceStore(opts.nonceTtlMs ?? 300_000, opts.now ?? Date.now);
  const algorithms = opts.algorithms ?? ['SHA-256', 'MD5'];
  const challenge = (res: OutboundResponse, stale: boolean): AuthResult => {
    const nonce = nonces.issue();
    const values = algorithms.map((algorithm) => formatChallenge({ realm: opts.realm, nonce, algorithm, qop: true, stale }));
    const header = opts.proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate';
    const out = res.build(opts.proxy ? 407 : 401, opts.proxy ? 'Proxy Authentication Required' : 'Unauthorized');
    out.remove(header);
    for (const v of values) out.add(header, v);
    res.sendBuilt(out);
    return { ok: false };
  };
  return async (req, res) => {
    const raw = req.msg.getAll(opts.proxy ? 'proxy-authorization' : 'authorization').find((v) => /^\s*Digest\s/i.test(v) && v.includes(`"${opts.realm}"`));
    if (!raw) return challenge(res, false);
    const p = parseDigestCredentials(raw);
    if (!p || !algorithms.includes(p.algorithm) || p.qop === 'auth-int') return challenge(res, false);
    if (p.qop !== undefined && (!p.nc || !p.cnonce)) return challenge(res, false);
    const verdict = nonces.check(p.nonce, p.qop ? p.nc : undefined);
    if (verdict === 'stale') return challenge(res, true);
    if (verdict !== 'fresh') return challenge(res, false);
    const password = await opts.lookup(p.username, opts.realm).catch(() => undefined);
    if (password === undefined) return challenge(res, false);
    if (!verifyAuthorization(p, { method: req.method, password, realm: opts.realm })) return challenge(res, false);
    req.locals.authUser = p.username;
    return { ok: true, username: p.username };
  };
}

/** Middleware form: continues the chain only for authenticated requests (sets `req.locals.authUser`). */
export function digestAuth(opts: AuthOptions & { methods?: string[] }): Middleware {
  const check = createAuthenticator(opts);
  const methods = opts.methods?.map((m) => m.toUpperCase());
  return async (req, res, next) => {
    if (methods && !methods.includes(req.method)) return next();
    const r = await check(req, res);
    if (r.ok) next();
  };
}
