/** HTTP Digest for SIP (RFC 3261 §22.4, RFC 2617, RFC 7616, RFC 8760): client answers and server checks. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { SipParseError } from './errors.js';
import { parseAuth, type AuthChallenge } from './header-parsers.js';
import { quote } from './header-format.js';

/** Digest algorithms this stack computes. */
export const DigestAlgorithm = { Md5: 'MD5', Md5Sess: 'MD5-sess', Sha256: 'SHA-256', Sha256Sess: 'SHA-256-sess' } as const;
/** One of the supported algorithm names. */
export type DigestAlgorithm = (typeof DigestAlgorithm)[keyof typeof DigestAlgorithm];

/** Inputs of the digest computation (RFC 7616 §3.4.1). */
export interface DigestInput {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  qop?: 'auth' | 'auth-int';
  nc?: string;
  cnonce?: string;
  /** Message body, only used for qop=auth-int. */
  body?: Buffer;
}

function hashOf(alg: string): (s: string | Buffer) => string {
  const name = alg.toUpperCase().startsWith('SHA-256') ? 'sha256' : 'md5';
  return (s) => createHash(name).update(s).digest('hex');
}

function normaliseAlgorithm(a: string | undefined): DigestAlgorithm | undefined {
  const up = (a ?? 'MD5').toUpperCase();
  if (up === 'MD5') return 'MD5';
  if (up === 'MD5-SESS') return 'MD5-sess';
  if (up === 'SHA-256') return 'SHA-256';
  if (up === 'SHA-256-SESS') return 'SHA-256-sess';
  return undefined;
}

/** The request-digest (hex) for the given inputs (RFC 7616 §3.4.1, RFC 2617 §3.2.2.1 without qop). */
export function computeDigestResponse(p: DigestInput): string {
  const H = hashOf(p.algorithm);
  let ha1 = H(`${p.username}:${p.realm}:${p.password}`);
  if (p.algorithm.endsWith('-sess')) ha1 = H(`${ha1}:${p.nonce}:${p.cnonce ?? ''}`);
  const ha2 =
    p.qop === 'auth-int' ? H(`${p.method}:${p.uri}:${H(p.body ?? Buffer.alloc(0))}`) : H(`${p.method}:${p.uri}`);
  if (p.qop === undefined) return H(`${ha1}:${p.nonce}:${ha2}`);
  return H(`${ha1}:${p.nonce}:${p.nc ?? '00000001'}:${p.cnonce ?? ''}:${p.qop}:${ha2}`);
}

/** Picks the challenge to answer: Digest only, SHA-256 preferred over MD5 (RFC 8760 §2.4). */
export function chooseChallenge(challenges: readonly AuthChallenge[]): AuthChallenge | undefined {
  const digest = challenges.filter(
    (c) => c.scheme.toLowerCase() === 'digest' && normaliseAlgorithm(c.params.algorithm) !== undefined,
  );
  const rank = (c: AuthChallenge): number => (normaliseAlgorithm(c.params.algorithm)?.startsWith('SHA-256') ? 0 : 1);
  return digest.sort((a, b) => rank(a) - rank(b))[0];
}

/** Client-side options of buildAuthorization; cnonce is random unless given (tests). */
export interface AuthorizationOptions {
  cnonce?: string;
  body?: Buffer;
}

/**
 * Answers a WWW-Authenticate / Proxy-Authenticate challenge with an Authorization value. Given several
 * challenges, SHA-256 is chosen over MD5. Throws Error when no Digest challenge with a supported
 * algorithm is offered.
 */
export function buildAuthorization(
  challenge: AuthChallenge | readonly AuthChallenge[],
  creds: { username: string; password: string },
  method: string,
  uri: string,
  nc: number,
  opts: AuthorizationOptions = {},
): string {
  const chosen = Array.isArray(challenge) ? chooseChallenge(challenge) : chooseChallenge([challenge as AuthChallenge]);
  if (chosen === undefined) throw new Error('no Digest challenge with a supported algorithm');
  const algorithm = normaliseAlgorithm(chosen.params.algorithm) ?? 'MD5';
  const realm = chosen.params.realm ?? '';
  const nonce = chosen.params.nonce ?? '';
  const offered = (chosen.params.qop ?? '').split(',').map((q) => q.trim().toLowerCase());
  const qop = offered.includes('auth') ? 'auth' : offered.includes('auth-int') ? 'auth-int' : undefined;
  const ncHex = nc.toString(16).padStart(8, '0');
  const cnonce = opts.cnonce ?? randomBytes(12).toString('hex');
  const input: DigestInput = { algorithm, username: creds.username, realm, password: creds.password, method, uri, nonce };
  if (qop !== undefined) Object.assign(input, { qop, nc: ncHex, cnonce, body: opts.body });
  else if (algorithm.endsWith('-sess')) input.cnonce = cnonce;
  const response = computeDigestResponse(input);
  const parts = [
    `username=${quote(creds.username)}`,
    `realm=${quote(realm)}`,
    `nonce=${quote(nonce)}`,
    `uri=${quote(uri)}`,
    `response="${response}"`,
    `algorithm=${algorithm}`,
  ];
  if (qop !== undefined) parts.push(`cnonce=${quote(cnonce)}`, `nc=${ncHex}`, `qop=${qop}`);
  else if (algorithm.endsWith('-sess')) parts.push(`cnonce=${quote(cnonce)}`);
  if (chosen.params.opaque !== undefined) parts.push(`opaque=${quote(chosen.params.opaque)}`);
  return `Digest ${parts.join(', ')}`;
}

/** Options of formatChallenge. */
export interface ChallengeOptions {
  realm: string;
  nonce: string;
  algorithm?: DigestAlgorithm;
  /** Offer qop=auth (default true). */
  qop?: boolean;
  /** The nonce was valid but expired: the client may retry without asking the user (RFC 7616 §3.3). */
  stale?: boolean;
  opaque?: string;
}

/** Builds a WWW-Authenticate / Proxy-Authenticate value. */
export function formatChallenge(o: ChallengeOptions): string {
  const parts = [`realm=${quote(o.realm)}`, `nonce=${quote(o.nonce)}`, `algorithm=${o.algorithm ?? 'MD5'}`];
  if (o.qop !== false) parts.push('qop="auth"');
  if (o.opaque !== undefined) parts.push(`opaque=${quote(o.opaque)}`);
  if (o.stale === true) parts.push('stale=true');
  return `Digest ${parts.join(', ')}`;
}

/** Digest credentials from an Authorization / Proxy-Authorization value. */
export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm: DigestAlgorithm;
  qop?: 'auth' | 'auth-int';
  nc?: string;
  cnonce?: string;
  opaque?: string;
}

/** Parses Digest credentials; null when the scheme is not Digest or a required field is missing. */
export function parseDigestCredentials(value: string | AuthChallenge): DigestCredentials | null {
  let a: AuthChallenge;
  try {
    a = typeof value === 'string' ? parseAuth(value, 'Authorization') : value;
  } catch (e) {
    if (e instanceof SipParseError) return null;
    throw e;
  }
  if (a.scheme.toLowerCase() !== 'digest') return null;
  const p = a.params;
  const algorithm = normaliseAlgorithm(p.algorithm);
  if (p.username === undefined || p.realm === undefined || p.nonce === undefined || p.uri === undefined) return null;
  if (p.response === undefined || algorithm === undefined) return null;
  const creds: DigestCredentials = { username: p.username, realm: p.realm, nonce: p.nonce, uri: p.uri, response: p.response, algorithm };
  if (p.qop !== undefined) {
    if (p.qop !== 'auth' && p.qop !== 'auth-int') return null;
    // RFC 7616 §3.4: with qop, cnonce and nc are mandatory.
    if (p.cnonce === undefined || p.nc === undefined || !/^[0-9a-fA-F]{8}$/.test(p.nc)) return null;
    Object.assign(creds, { qop: p.qop, nc: p.nc, cnonce: p.cnonce });
  } else if (p.cnonce !== undefined) creds.cnonce = p.cnonce;
  if (p.opaque !== undefined) creds.opaque = p.opaque;
  return creds;
}

/** Server-side check inputs: the expected realm and the user's password. Nonce freshness is the caller's job. */
export interface VerifyOptions {
  method: string;
  password: string;
  realm: string;
  body?: Buffer;
}

/**
 * Recomputes the digest and compares it in constant time. Returns false for malformed credentials or
 * a realm mismatch. The caller checks nonce validity/replay (nc) and that `uri` matches the request.
 */
export function verifyAuthorization(credentials: string | AuthChallenge | DigestCredentials, o: VerifyOptions): boolean {
  const c =
    typeof credentials !== 'string' && 'response' in credentials && typeof credentials.response === 'string'
      ? credentials
      : parseDigestCredentials(credentials as string | AuthChallenge);
  if (c === null || c.realm !== o.realm) return false;
  const input: DigestInput = { algorithm: c.algorithm, username: c.username, realm: c.realm, password: o.password, method: o.method, uri: c.uri, nonce: c.nonce };
  if (c.qop !== undefined) Object.assign(input, { qop: c.qop, nc: c.nc, cnonce: c.cnonce, body: o.body });
  else if (c.cnonce !== undefined) input.cnonce = c.cnonce;
  const expected = Buffer.from(computeDigestResponse(input), 'latin1');
  const got = Buffer.from(c.response.toLowerCase(), 'latin1');
  return expected.length === got.length && timingSafeEqual(expected, got);
}
