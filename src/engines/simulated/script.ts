/**
 * The scripted world of a simulation, as plain data (it is what a `.test.yaml` `world:` or a `--script`
 * file holds): what the caller does and when, how dialled targets answer, what HTTP endpoints return,
 * and what voice bots do.
 */

/**
 * When something happens. `at` alone: absolute virtual ms since the simulation began. `after`: relative to
 * the nth (1-based, default 1) time the flow started a prompt, started listening for digits (collect or
 * wait-for-digit), or answered the call; `delay` ms later (default 0).
 */
export interface SimWhen {
  at?: number;
  after?: 'prompt' | 'listen' | 'answer';
  nth?: number;
  delay?: number;
}

/** The caller pressing keys: one key every `gap` ms (default 200) from `when`. */
export interface SimDigits extends SimWhen {
  keys: string;
  gap?: number;
}

/** How a dialled target behaves. */
export interface SimTarget {
  /** answer (default), busy, no-answer (rings until the dial times out), declined, invalid, failed. */
  result?: 'answer' | 'busy' | 'no-answer' | 'declined' | 'invalid' | 'failed';
  /** Ms of ringing before the result (default 1000; ignored for no-answer). */
  after?: number;
  /** SIP status reported with a failure (defaults: busy 486, declined 603, invalid 404, failed 503). */
  status?: number;
  /** Once answered, the target hangs up after this many ms (default: never). */
  hangupAfter?: number;
  /** Digits the target presses after answering (relative to its answer). */
  digits?: Array<{ delay?: number; keys: string; gap?: number }>;
}

/** One scripted HTTP answer. */
export interface SimHttpAnswer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Ms before the answer (default 0). */
  delay?: number;
  /** No answer at all: the connection fails (`network`) or never answers (`hang`, so the client times out). */
  error?: 'network' | 'hang';
}

/** An HTTP endpoint: `url` is a full URL or a path (any host); `*` matches any run of characters. */
export interface SimHttpRoute extends SimHttpAnswer {
  method?: string;
  url: string;
  /** Successive requests get successive answers; the last repeats. Overrides the single answer fields. */
  sequence?: SimHttpAnswer[];
}

/** A message the bot sends, `at` ms after the stream started. */
export interface SimBotMessage {
  at: number;
  /** media: `ms` of audio (silence) to play to the caller; mark: a named mark; clear: drop queued audio. */
  event: 'media' | 'mark' | 'clear';
  ms?: number;
  name?: string;
}

/** A voice bot's behaviour for a URL (`*` wildcards allowed). */
export interface SimBot {
  url: string;
  /** The bot cannot be reached: the stream ends with `error`. */
  unreachable?: boolean;
  messages?: SimBotMessage[];
  /** The bot closes the socket this many ms after the stream started (default: never). */
  closeAt?: number;
  /** The socket fails this many ms after the stream started. */
  errorAt?: number;
}

/** A channel event: everybody is removed from `channel` at `at` ms. */
export interface SimChannelKick {
  channel: string;
  at: number;
}

/** The whole scripted world. Every field is optional. */
export interface SimScript {
  caller?: {
    digits?: SimDigits[];
    /** The caller hangs up. */
    hangup?: SimWhen;
  };
  /** Dialled targets by number or URI (exact, or with `*` wildcards). */
  targets?: Record<string, SimTarget>;
  /** Targets not listed in `targets`. Default: answer after 1000 ms. */
  defaultTarget?: SimTarget;
  http?: SimHttpRoute[];
  bots?: SimBot[];
  channels?: SimChannelKick[];
  /** Transfer results by target (default transferred after 1000 ms). */
  transfers?: Record<string, 'transferred' | 'failed'>;
  /** Calls other sessions own that end-call may end, by call id. */
  otherCalls?: string[];
  /** How long media takes to play: ms per character of `say` text (default 60), per file (2000), per tone (1000). */
  timing?: { sayMsPerChar?: number; fileMs?: number; toneMs?: number; recordMs?: number };
  /** Recording fails (the file cannot be written). */
  recordFails?: boolean;
}

/** Match `value` against a pattern with `*` wildcards (the whole string must match). */
export function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
  return re.test(value);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Find the entry of a record whose key matches `value` exactly, else the first matching wildcard key. */
export function lookupGlob<T>(table: Record<string, T> | undefined, value: string): T | undefined {
  if (!table) return undefined;
  if (Object.hasOwn(table, value)) return table[value];
  for (const [k, v] of Object.entries(table)) if (globMatch(k, value)) return v;
  return undefined;
}
