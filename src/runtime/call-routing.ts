/** Routing an inbound call to a flow's `on call` entry by its matchers (`*` wildcards). */
import type { CallInfo } from '../ports/index.js';
import type { CallRoute } from './registry.js';

const globCache = new Map<string, RegExp>();

/** Whether `value` matches `pattern`, where `*` matches any run of characters. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const key = `${ignoreCase ? 'i' : 's'}:${pattern}`;
  let re = globCache.get(key);
  if (!re) {
    re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, ignoreCase ? 'i' : '');
    if (globCache.size > 5000) globCache.clear();
    globCache.set(key, re);
  }
  return re.test(value);
}

/** The user part of a SIP URI (`sip:alice@host` → `alice`). */
function userOf(uri: string): string {
  const m = /^[a-z]+:([^@;?]*)@/i.exec(uri);
  return m?.[1] ?? '';
}

/** The value a matcher field reads from the call. */
export function callField(info: CallInfo, field: 'to' | 'user' | 'domain' | 'from' | 'trunk'): string {
  switch (field) {
    case 'to':
      return info.to;
    case 'user':
      return userOf(info.toUri) || info.to;
    case 'domain':
      return info.domain;
    case 'from':
      return info.from;
    case 'trunk':
      return info.trunk ?? '';
  }
}

function specificity(r: CallRoute): number {
  return r.entry.matchers.reduce((n, m) => n + 1000 + m.pattern.replace(/\*/g, '').length, 0);
}

/**
 * The entry for a call: every matcher of an entry must match (domains case-insensitively). When several
 * entries match, the most specific wins: more matchers first, then more literal (non-`*`) characters, then
 * flow name order. `flow` restricts the choice to one flow.
 */
export function routeCall(routes: readonly CallRoute[], info: CallInfo, flow?: string): CallRoute | undefined {
  let best: CallRoute | undefined;
  let bestScore = -1;
  for (const r of routes) {
    if (flow !== undefined && r.flow.name !== flow) continue;
    const ok = r.entry.matchers.every((m) => wildcardMatch(m.pattern, callField(info, m.field), m.field === 'domain'));
    if (!ok) continue;
    const score = specificity(r);
    if (score > bestScore) {
      best = r;
      bestScore = score;
    }
  }
  return best;
}
