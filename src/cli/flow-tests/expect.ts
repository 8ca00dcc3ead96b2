/**
 * Checking a test's expectations against what a simulated session did. Each failure names the expectation,
 * its line in the test file, and the expected and actual values, so the report reads without the trace.
 */
import type { TestExpect } from './format.js';

/** What a simulated session did, in the terms expectations use. */
export interface Observed {
  states: string[];
  /** Prompt texts in order (say text, file path, `tone:name`; several items joined with " + "). */
  prompts: string[];
  digits: string[];
  dials: Array<{ to: string; result: string }>;
  http: Array<{ method: string; url: string; body: unknown; status?: number; error?: string }>;
  response?: { status: number; body: unknown; headers: Record<string, string> };
  end: { cause: string; state?: string; error?: string };
  logs: string[];
  channels: string[];
  /** DTMF digits the flow sent, on every leg, as one string. */
  dtmfSent: string;
  store: Record<string, unknown>;
}

/** One failed expectation. */
export interface Failure {
  key: string;
  line: number;
  message: string;
  expected: unknown;
  actual: unknown;
}

/** `actual` contains everything `expected` has (objects recursively; arrays element-wise and same length). */
export function matchesSubset(expected: unknown, actual: unknown): boolean {
  if (expected === null || typeof expected !== 'object') {
    if (typeof expected === 'number' && typeof actual === 'string') return String(expected) === actual;
    return expected === actual || (expected === null && actual === undefined);
  }
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matchesSubset(e, actual[i]));
  }
  if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return false;
  return Object.entries(expected).every(([k, v]) => matchesSubset(v, (actual as Record<string, unknown>)[k]));
}

/** `needles` appear in `hay` in this relative order. */
function inOrder<T>(needles: T[], hay: T[], eq: (a: T, b: T) => boolean): boolean {
  let i = 0;
  for (const h of hay) if (i < needles.length && eq(needles[i] as T, h)) i++;
  return i === needles.length;
}

const promptMatches = (want: string, got: string): boolean => got === want || got.endsWith(`/${want}`) || got.split(' + ').some((p) => p === want || p.endsWith(`/${want}`));

/** Check every expectation; returns the failures (empty when the test passes). */
export function checkExpectations(exp: TestExpect, obs: Observed, lines: Record<string, number>, fallbackLine: number): Failure[] {
  const failures: Failure[] = [];
  const fail = (key: string, message: string, expected: unknown, actual: unknown): void => {
    failures.push({ key, line: lines[key] ?? fallbackLine, message, expected, actual });
  };

  if (exp.states && !matchesSubset(exp.states, obs.states)) fail('states', 'states entered differ', exp.states, obs.states);
  if (exp.visits && !inOrder(exp.visits, obs.states, (a, b) => a === b)) fail('visits', 'states not visited in this order', exp.visits, obs.states);
  if (exp['not-visits']) {
    const bad = exp['not-visits'].filter((s) => obs.states.includes(s));
    if (bad.length > 0) fail('not-visits', `entered ${bad.join(', ')}`, exp['not-visits'], obs.states);
  }
  if (exp.prompts) {
    const ok = exp.prompts.length === obs.prompts.length && exp.prompts.every((p, i) => promptMatches(p, obs.prompts[i] ?? ''));
    if (!ok) fail('prompts', 'prompts played differ', exp.prompts, obs.prompts);
  }
  if (exp['prompts-include']) {
    const ok = inOrder(exp['prompts-include'], obs.prompts, (want, got) => got.includes(want) || promptMatches(want, got));
    if (!ok) fail('prompts-include', 'prompts not played (in this order)', exp['prompts-include'], obs.prompts);
  }
  if (exp.digits && !matchesSubset(exp.digits.map(String), obs.digits)) fail('digits', 'digits collected differ', exp.digits, obs.digits);
  if (exp.dials) {
    const want = exp.dials.map((d) => (typeof d === 'string' ? { to: d } : d));
    if (!matchesSubset(want, obs.dials.map((d) => ({ ...d })))) fail('dials', 'legs dialled differ', want, obs.dials);
  }
  if (exp.http) {
    const want = exp.http.map((r) => (typeof r === 'string' ? { url: r } : r));
    if (!matchesSubset(want, obs.http)) fail('http', 'HTTP requests differ', want, obs.http);
  }
  if (exp.response) {
    if (!obs.response) fail('response', 'the flow sent no HTTP response', exp.response, null);
    else if (!matchesSubset(exp.response, obs.response)) fail('response', 'HTTP response differs', exp.response, obs.response);
  }
  if (exp.end !== undefined) {
    const want = typeof exp.end === 'string' ? { cause: exp.end } : exp.end;
    if (!matchesSubset(want, obs.end)) fail('end', 'the session ended differently', want, obs.end);
  }
  if (exp.logs) {
    const ok = exp.logs.length === obs.logs.length && exp.logs.every((l, i) => (obs.logs[i] ?? '').includes(l));
    if (!ok) fail('logs', 'log messages differ', exp.logs, obs.logs);
  }
  if (exp.channels && !matchesSubset(exp.channels, obs.channels)) fail('channels', 'channels joined differ', exp.channels, obs.channels);
  if (exp['dtmf-sent'] !== undefined && String(exp['dtmf-sent']) !== obs.dtmfSent) fail('dtmf-sent', 'DTMF sent differs', String(exp['dtmf-sent']), obs.dtmfSent);
  if (exp.store) {
    for (const [k, v] of Object.entries(exp.store)) {
      if (!matchesSubset(v, obs.store[k])) fail('store', `store key '${k}' differs`, v, obs.store[k] ?? null);
    }
  }
  return failures;
}
