/**
 * API authentication: API keys as Bearer tokens, and Basic credentials, from the configuration.
 * Each flow route chooses its scheme (`auth basic`, `auth bearer`, `auth none`); the generic API accepts either.
 * Comparisons are constant-time so keys cannot be guessed by timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { BasicCredential } from '../config.js';

/** The result of checking a request: ok, or the status and JSON body to answer with. */
export type AuthResult = { ok: true; principal: string } | { ok: false; status: 401 | 403; body: { error: string; message: string }; challenge?: string };

/** Schemes a route may require. */
export type AuthScheme = 'basic' | 'bearer' | 'any' | 'none';

function same(a: string, b: string): boolean {
  // Hash first so lengths never leak and timingSafeEqual gets equal-length inputs.
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** The configured credentials. */
export interface AuthConfig {
  bearer: string[];
  basic: BasicCredential[];
}

function basicToken(c: BasicCredential): string {
  return typeof c === 'string' ? c : Buffer.from(`${c.username}:${c.password}`).toString('base64');
}

function unauthorized(message: string, scheme: AuthScheme): AuthResult {
  const challenge = scheme === 'bearer' ? 'Bearer realm="callflow"' : 'Basic realm="callflow"';
  return { ok: false, status: 401, body: { error: 'unauthorized', message }, challenge };
}

/**
 * Check an Authorization header against `scheme`. With no credentials configured for a scheme, every request
 * is refused with 403, so a deployment cannot be left open by forgetting to configure keys.
 */
export function checkAuth(header: string | undefined, scheme: AuthScheme, cfg: AuthConfig): AuthResult {
  if (scheme === 'none') return { ok: true, principal: 'anonymous' };
  if (!header) return unauthorized('this endpoint needs an Authorization header', scheme);
  const space = header.indexOf(' ');
  const kind = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  const wantBasic = scheme === 'basic' || scheme === 'any';
  const wantBearer = scheme === 'bearer' || scheme === 'any';
  if (kind === 'basic' && wantBasic) {
    if (cfg.basic.length === 0) return { ok: false, status: 403, body: { error: 'forbidden', message: 'no Basic credentials are configured on this server' } };
    const match = cfg.basic.find((c) => same(basicToken(c), value));
    if (match) return { ok: true, principal: typeof match === 'string' ? 'basic-token' : match.username };
    return unauthorized('the Basic credentials are not valid', scheme);
  }
  if (kind === 'bearer' && wantBearer) {
    if (cfg.bearer.length === 0) return { ok: false, status: 403, body: { error: 'forbidden', message: 'no API keys are configured on this server' } };
    const idx = cfg.bearer.findIndex((k) => same(k, value));
    if (idx >= 0) return { ok: true, principal: `api-key-${idx}` };
    return unauthorized('the API key is not valid', scheme);
  }
  return unauthorized(`this endpoint expects ${scheme === 'any' ? 'Basic or Bearer' : scheme === 'basic' ? 'Basic' : 'Bearer'} authorization`, scheme);
}
