/**
 * A WebSocket media protocol (Exotel, Twilio, ...): how our events become messages and how the bot's messages
 * become commands. Adding Plivo, Vonage or jambonz means one more module implementing this.
 */

/** Facts about the stream every message may need. */
export interface StreamFacts {
  streamId: string;
  callId: string;
  accountId: string;
  from: string;
  to: string;
  params: Record<string, string>;
  sampleRate: number;
  encoding: 'pcm' | 'mulaw';
}

/** What the bot asked for. */
export type BotCommand =
  /** Clean base64 (whitespace removed) in the stream's encoding; the driver decodes it, per stream. */
  | { kind: 'media'; payload: string }
  | { kind: 'mark'; name: string }
  | { kind: 'clear' }
  /** A message we understand but need not act on (e.g. a keep-alive). */
  | { kind: 'ignore' };

/** Why a bot message was rejected; logged with the offending content, never fatal. */
export interface ProtocolError {
  kind: 'error';
  message: string;
}

/** One protocol. Outgoing builders receive the running sequence number; counters are the driver's. */
export interface BotProtocol {
  readonly name: string;
  /** The first message after the socket opens, before `start`; null when the protocol has none. */
  connected(): Record<string, unknown> | null;
  start(f: StreamFacts, seq: number): Record<string, unknown>;
  /** `payload` is already encoded (base64) in the stream's format. */
  media(f: StreamFacts, seq: number, chunk: number, timestampMs: number, payload: string): Record<string, unknown>;
  dtmf(f: StreamFacts, seq: number, digit: string, durationMs: number): Record<string, unknown>;
  mark(f: StreamFacts, seq: number, name: string): Record<string, unknown>;
  stop(f: StreamFacts, seq: number, reason: 'stopped' | 'callended'): Record<string, unknown>;
  /** Interpret a parsed JSON message from the bot. */
  parse(msg: unknown, f: StreamFacts): BotCommand | ProtocolError;
  /** Whether `clear` echoes the marks it dropped (Twilio does; Exotel does not document it). */
  readonly clearEchoesMarks: boolean;
}

/** Read a string field that may arrive under either of two spellings (e.g. stream_sid / streamSid). */
export function field(obj: Record<string, unknown>, ...names: string[]): unknown {
  for (const n of names) if (obj[n] !== undefined) return obj[n];
  return undefined;
}

/** True for a plain object. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
