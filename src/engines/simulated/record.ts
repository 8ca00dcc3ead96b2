/**
 * What happened in a simulation, as data: the basis of flow-test expectations and of `callflow simulate`'s
 * summary. Times are virtual ms since the simulation began.
 */
import type { PlayItem } from '../../ports/media.js';

/** A prompt that was played. */
export interface PromptRecord {
  at: number;
  leg: string;
  items: PlayItem[];
  loop: number;
  bargeIn: boolean;
  /** How it ended: played to the end, interrupted by a digit, aborted by the flow, or the call ended. */
  result?: 'done' | 'barge-in' | 'aborted' | 'ended';
  digit?: string;
  endedAt?: number;
}

/** A key the far end pressed. */
export interface DigitRecord {
  at: number;
  leg: string;
  digit: string;
}

/** A collect or wait-for-digit that finished. */
export interface CollectRecord {
  at: number;
  leg: string;
  kind: 'collect' | 'digit';
  digits: string;
  reason: 'complete' | 'terminator' | 'timeout' | 'aborted' | 'ended';
}

/** A leg that was dialled. */
export interface DialRecord {
  at: number;
  to: string;
  from?: string;
  via?: string;
  headers?: Record<string, string>;
  callId: string;
  result?: 'answered' | 'busy' | 'no-answer' | 'declined' | 'invalid' | 'failed' | 'cancelled';
  status?: number;
  endedAt?: number;
}

/** An HTTP request made through the simulated Http port (one per attempt). */
export interface HttpRecord {
  at: number;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  attempt: number;
  status?: number;
  error?: 'network' | 'timeout' | 'aborted' | 'unscripted';
  durationMs?: number;
}

/** A channel membership. */
export interface ChannelRecord {
  at: number;
  leg: string;
  channel: string;
  muted: boolean;
  result?: 'left' | 'ended' | 'aborted';
  leftAt?: number;
}

/** A bot stream and the messages exchanged. */
export interface BotRecord {
  at: number;
  url: string;
  protocol: string;
  params: Record<string, string>;
  messages: Array<{ at: number; from: 'bot' | 'caller'; event: string; name?: string; ms?: number; digit?: string }>;
  result?: string;
  endedAt?: number;
}

/** Everything else the engine did, in order. */
export interface EventRecord {
  at: number;
  type: 'answer' | 'hangup' | 'bridge' | 'unbridge' | 'dtmf-sent' | 'transfer' | 'record' | 'end-call' | 'kick';
  leg?: string;
  [field: string]: unknown;
}

/** The full record of a simulation. */
export class SimRecord {
  readonly prompts: PromptRecord[] = [];
  readonly digits: DigitRecord[] = [];
  readonly collects: CollectRecord[] = [];
  readonly dials: DialRecord[] = [];
  readonly http: HttpRecord[] = [];
  readonly channels: ChannelRecord[] = [];
  readonly bots: BotRecord[] = [];
  readonly events: EventRecord[] = [];

  /** The text of a prompt item, as flow tests compare them: say text, file path, or `tone:name`. */
  static itemText(item: PlayItem): string {
    switch (item.kind) {
      case 'say':
        return item.text;
      case 'file':
        return item.path;
      case 'tone':
        return `tone:${item.name}`;
      case 'silence':
        return `silence:${item.ms}`;
    }
  }
}
