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

/**
 * A call route with its rank: routes of a lower `tier` win over every route of a higher one, whatever their
 * specificity (the server puts the bundled flows in tier 1 so a user's flow always wins an overlap).
 */
export type RankedCallRoute = CallRoute & { readonly tier?: number };

/** The value a matcher field reads from the call. */
export function callField(info: CallInfo, field: 'to' | 'user' | 'domain' | 'from' | 'trunk'): string {
  switch (field) {
    case 'to':
      return info.to;
    case 'user':
      // The Request-URI user (grammar/reference.md): engines put it in `to`. The To header (`toUri`) keeps the
      // original target when a carrier retargets (RFC 3261 §8.1.1.2), so it must not route the call.
      return info.to;
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
 * entries match, the lowest tier wins (user flows before bundled ones), then the most specific: more matchers
 * first, then more literal (non-`*`) characters, then route order. `flow` restricts the choice to one flow.
 */
export function routeCall(routes: readonly RankedCallRoute[], info: CallInfo, flow?: string): CallRoute | undefined {
  let best: RankedCallRoute | undefined;
  let bestTier = Infinity;
  let bestScore = -1;
  for (const r of routes) {
    if (flow !== undefined && r.flow.name !== flow) continue;
    const ok = r.entry.matchers.every((m) => wildcardMatch(m.pattern, callField(info, m.field), m.field === 'domain'));
    if (!ok) continue;
    const tier = r.tier ?? 0;
    const score = specificity(r);
    if (tier < bestTier || (tier === bestTier && score > bestScore)) {
      best = r;
      bestTier = tier;
      bestScore = score;
    }
  }
  return best;
}
