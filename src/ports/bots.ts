/** Bots: connecting a call's audio to a WebSocket voice bot. */
import type { AudioTap } from './media.js';
import type { CallInfo } from './call-control.js';

/** Options for one bot stream (from the stream-to-websocket step). */
export interface BotStreamOptions {
  url: string;
  protocol: 'exotel' | 'twilio';
  params: Record<string, string>;
  sampleRate: 8000 | 16000 | 24000;
  encoding: 'pcm' | 'mulaw';
  bidirectional: boolean;
  auth?: { username: string; password: string } | { bearer: string };
  connectTimeoutMs: number;
  maxDurationMs: number;
  call: CallInfo;
  /** Account id shown to the bot (exotel account_sid / twilio accountSid). */
  accountId: string;
  /** Settles when the caller's leg ends, so `stop` carries the right reason (callended rather than stopped). */
  callEnded?: Promise<unknown>;
}

/** How a bot stream ended. `hangup` means the caller's leg ended (and `stop` was sent). */
export interface BotStreamResult {
  outcome: 'closed' | 'error' | 'timeout' | 'hangup' | 'aborted';
  detail?: string;
  streamId?: string;
}

/** The port. The tap is owned by the caller; the bot stream never closes it. */
export interface Bots {
  stream(tap: AudioTap, opts: BotStreamOptions, signal?: AbortSignal): Promise<BotStreamResult>;
}
