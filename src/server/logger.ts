/**
 * Structured logs (pino, JSON lines). Call events are keyed by session and call id; credentials never reach a
 * line: known secret fields are redacted, and trace events are logged as a fixed set of fields (not step args,
 * which may carry PINs or tokens).
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Session } from '../runtime/session.js';
import type { TraceEvent } from '../runtime/trace.js';
import { formatRange } from '../runtime/trace.js';

/** Paths pino blanks out wherever they appear in a logged object. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'auth.bearer',
  'auth.basic',
  'config.auth',
] as const;

/** A JSON logger at `level`, writing to `dest` (stdout by default). */
export function createLogger(level: string, dest?: DestinationStream): Logger {
  const opts = {
    level,
    base: { service: 'callflow' },
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
  };
  return dest ? pino(opts, dest) : pino(opts);
}

const LOGGED_FIELDS = [
  'state',
  'step',
  'outcome',
  'to',
  'cause',
  'error',
  'message',
  'status',
  'flow',
  'version',
  'entry',
  'digits',
  'reason',
] as const;

/** Trace event types that are worth an info line; the rest go to debug. */
const INFO_TYPES = new Set([
  'session.start',
  'session.end',
  'error',
  'call.answer',
  'call.hangup',
  'http.respond',
]);

/** The level a flow's `log` step asked for. */
function flowLogLevel(level: unknown): 'debug' | 'info' | 'warn' | 'error' {
  return level === 'debug' || level === 'warn' || level === 'error' ? level : 'info';
}

/** Log one trace event of a session, keyed by session and call id. */
export function logTraceEvent(log: Logger, session: Session, e: TraceEvent): void {
  const level =
    e.type === 'error'
      ? 'warn'
      : e.type === 'log'
        ? flowLogLevel(e.level)
        : INFO_TYPES.has(e.type)
          ? 'info'
          : 'debug';
  if (!log.isLevelEnabled(level)) return;
  const fields: Record<string, unknown> = {
    session: session.id,
    flow: session.flow.name,
    event: e.type,
    t: e.t,
  };
  if (session.call) fields.callId = session.call.info.id;
  if (e.range) fields.at = formatRange(e.range);
  for (const k of LOGGED_FIELDS) {
    // Digits may be a PIN: log how many, not which.
    if (k === 'digits' && typeof e[k] === 'string') fields.digitCount = e[k].length;
    else if (e[k] !== undefined && (typeof e[k] !== 'object' || e[k] === null)) fields[k] = e[k];
  }
  log[level](fields, `call event ${e.type}`);
}
