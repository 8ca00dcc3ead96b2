/**
 * Session traces: a bounded ring of events, each with a monotonic offset from the session's start and the
 * source range of the state or statement that produced it, so every line points at file:line:col.
 */
import type { SourceRange } from '../language/diagnostics.js';

/** Event types the interpreter emits itself; steps add their own (call.hangup, http.respond, digits, ...). */
export const TraceType = {
  sessionStart: 'session.start',
  stateEnter: 'state.enter',
  stepStart: 'step.start',
  stepDone: 'step.done',
  varSet: 'var.set',
  transition: 'transition',
  error: 'error',
  sessionEnd: 'session.end',
} as const;
export type TraceType = (typeof TraceType)[keyof typeof TraceType];

/** One trace event. `t` is milliseconds since the session started. */
export interface TraceEvent {
  t: number;
  type: string;
  range?: SourceRange;
  [field: string]: unknown;
}

/** Default number of events kept per session (older ones are dropped and counted). */
export const DEFAULT_TRACE_SIZE = 2000;

/** A bounded event log. */
export class Trace {
  private readonly ring: TraceEvent[] = [];
  private head = 0;
  /** Events dropped because the ring was full. */
  dropped = 0;

  constructor(
    private readonly origin: number,
    private readonly monotonic: () => number,
    private readonly capacity = DEFAULT_TRACE_SIZE,
    private readonly listener?: (e: TraceEvent) => void,
  ) {}

  /** Milliseconds since the session started. */
  now(): number {
    return this.monotonic() - this.origin;
  }

  /** Append an event (its `t` already set). */
  add(e: TraceEvent): void {
    if (this.ring.length < this.capacity) this.ring.push(e);
    else {
      this.ring[this.head] = e;
      this.head = (this.head + 1) % this.capacity;
      this.dropped++;
    }
    if (this.listener) {
      try {
        this.listener(e);
      } catch {
        // A listener's failure must not disturb the session.
      }
    }
  }

  /** The events kept, oldest first. */
  events(): TraceEvent[] {
    return this.head === 0 ? this.ring.slice() : [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)];
  }
}

const SECRET = /^(password|passwd|token|bearer|authorization|secret|api[-_]?key|access[-_]?token)$/i;

/** Keys whose values are URLs (url, callback-url, webhookUrl, uri, endpoint ...). */
const URL_KEY = /(url|uri|href|endpoint)s?$/i;
/** `scheme://userinfo@` (RFC 3986 §3.2.1); the userinfo ends at the last `@` before the path. */
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i;

/** A URL whose userinfo carries a password (`scheme://user:password@`), wherever it appears as a value. */
const PASSWORD_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/?#@]*:[^/?#]*@/i;

/** `url` without its `user:password@` part (e.g. Exotel's `wss://key:token@host/...`); other text unchanged. */
export function stripUrlCredentials(url: string): string {
  return url.replace(USERINFO, '$1');
}

/** A URL-keyed value with credentials stripped (a string, or the strings of an array); objects are redacted. */
function stripUrls(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return stripUrlCredentials(v);
  if (!Array.isArray(v)) return redact(v, depth);
  const out = v.map((x) => (typeof x === 'string' ? stripUrlCredentials(x) : redact(x, depth + 1)));
  return out.some((x, i) => x !== v[i]) ? out : v;
}

/**
 * A copy of `v` with the values of secret-looking keys (password, token, bearer, authorization) replaced, and
 * credentials stripped from URLs under url-like keys and from any URL value that carries a password (a variable
 * set from `config bot_url`, for instance).
 */
export function redact(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return PASSWORD_URL.test(v) ? stripUrlCredentials(v) : v;
  if (typeof v !== 'object' || v === null || depth > 6) return v;
  if (Array.isArray(v)) {
    const out = v.map((x) => redact(x, depth + 1));
    return out.some((x, i) => x !== v[i]) ? out : v;
  }
  let out: Record<string, unknown> | undefined;
  for (const [k, x] of Object.entries(v)) {
    const r = SECRET.test(k) ? '***' : URL_KEY.test(k) ? stripUrls(x, depth + 1) : redact(x, depth + 1);
    if (r !== x) out ??= { ...(v as Record<string, unknown>) };
    if (out) out[k] = r;
  }
  return out ?? v;
}

/** `file:line:col`, 1-based for people. */
export function formatRange(r: SourceRange | undefined): string {
  return r ? `${r.file}:${r.start.line + 1}:${r.start.character + 1}` : '-';
}

const RESERVED = new Set(['t', 'type', 'range']);

/** `String(v)`, for fields narrowed past `undefined` (still shown the way String shows them). */
const textOf = (v: unknown): string => String(v);

function short(v: unknown, max = 200): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function rest(e: TraceEvent, skip: readonly string[] = []): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(e)) if (!RESERVED.has(k) && !skip.includes(k) && v !== undefined) parts.push(`${k}=${short(v)}`);
  return parts.join(' ');
}

/** One event as a line of text (see formatTrace). */
export function describeEvent(e: TraceEvent): string {
  switch (e.type) {
    case 'session.start':
      return `session.start ${String(e.flow)}@${String(e.version)} entry ${String(e.entry)}`;
    case 'state.enter':
      return `state.enter ${String(e.state)}`;
    case 'step.start': {
      const args = e.args && typeof e.args === 'object' && Object.keys(e.args).length > 0 ? ` ${short(e.args)}` : '';
      return `step.start ${String(e.step)}${args}`;
    }
    case 'step.done':
      return `step.done ${String(e.step)} → ${String(e.outcome)}`;
    case 'transition': {
      const c = e.counter === undefined ? '' : ` (${textOf(e.counter)} ${String(e.count)}/${String(e.max)})`;
      return `transition → ${String(e.to)}${c}`;
    }
    case 'var.set':
      return `set ${String(e.name)} = ${short(e.value)}`;
    case 'error':
      return `error ${String(e.message)}`;
    case 'session.end':
      return `session.end ${String(e.cause)}${e.error ? `: ${textOf(e.error)}` : ''}`;
    default: {
      const r = rest(e);
      return r ? `${e.type} ${r}` : e.type;
    }
  }
}

/** Print a trace for `callflow simulate`: `+0.120s  flows/x.flow:12:3  step.done collect-pin → ok`. */
export function formatTrace(events: readonly TraceEvent[]): string {
  const rows = events.map((e) => [`+${(e.t / 1000).toFixed(3)}s`, formatRange(e.range), describeEvent(e)] as const);
  const w0 = Math.max(0, ...rows.map((r) => r[0].length));
  const w1 = Math.max(0, ...rows.map((r) => r[1].length));
  return rows.map(([a, b, c]) => `${a.padStart(w0)}  ${b.padEnd(w1)}  ${c}`).join('\n');
}
