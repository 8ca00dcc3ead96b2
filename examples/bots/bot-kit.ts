/**
 * A tiny toolkit for WebSocket voice bots that speak the Exotel AgentStream (StreamKit) protocol or Twilio
 * Media Streams. The platform (callflow's `stream-to-websocket` step) is the WebSocket client; the bot is the
 * server. Copy this file with echo-bot.ts or dtmf-bot.ts as the start of your own bot (run with `npx tsx`).
 *
 * Wire facts (see docs/streaming.md):
 * - exotel: snake_case, keyed by `stream_sid`; audio is base64 16-bit LE PCM at 8/16/24 kHz, or µ-law 8 kHz
 *   when `start.media_format.encoding` says `audio/x-mulaw`. Bot audio should come in chunks that are a
 *   multiple of 20 ms (320 bytes at 8 kHz); Exotel recommends at least 3,200 bytes (200 ms).
 * - twilio: camelCase, keyed by `streamSid`; audio is base64 µ-law 8 kHz; `clear` echoes pending marks.
 *
 * Only the `ws` package is needed. Bad input from the platform is logged and ignored, never fatal.
 */
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** Protocols a bot can be pinned to; `auto` detects from the `start` message. */
export const BOT_PROTOCOLS = ['auto', 'exotel', 'twilio'] as const;
/** A protocol choice. */
export type BotProtocolChoice = (typeof BOT_PROTOCOLS)[number];
/** The protocol of a running stream. */
export type StreamProtocol = Exclude<BotProtocolChoice, 'auto'>;

/** Command-line options shared by the example bots. */
export interface BotOptions {
  port: number;
  host: string;
  protocol: BotProtocolChoice;
  chunkMs: number | undefined;
  /** A bearer token, or `user:pass` for Basic. */
  auth: string | undefined;
  quiet: boolean;
  help?: boolean;
}

/** A running bot server. */
export interface RunningBot {
  port: number;
  close(): Promise<void>;
}

/** Normalised events, by name. */
export interface BotEvents {
  start: {
    protocol: StreamProtocol;
    streamSid: string | undefined;
    callSid: unknown;
    from: unknown;
    to: unknown;
    customParameters: Record<string, unknown>;
    encoding: 'pcm' | 'mulaw';
    sampleRate: number;
  };
  media: { payload: Buffer; chunk: number };
  dtmf: { digit: string };
  mark: { name: string };
  stop: { reason: string };
  close: { code: number };
}

/** A handler for one normalised event. */
export type BotHandler<K extends keyof BotEvents> = (ev: BotEvents[K], stream: BotStream) => void;

const isProtocol = (v: string): v is BotProtocolChoice => (BOT_PROTOCOLS as readonly string[]).includes(v);

/**
 * Parse `--port N --host H --protocol exotel|twilio|auto --chunk-ms N --auth TOKEN|USER:PASS --quiet`.
 * `--auth` makes the bot refuse upgrades without `Authorization: Bearer TOKEN` (or Basic USER:PASS).
 */
export function parseBotArgs(argv: readonly string[]): BotOptions {
  const opts: BotOptions = { port: 8765, host: '127.0.0.1', protocol: 'auto', chunkMs: undefined, auth: undefined, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--port') opts.port = Number(next());
    else if (a === '--host') opts.host = next();
    else if (a === '--protocol') {
      const p = next();
      if (!isProtocol(p)) throw new Error(`--protocol must be exotel, twilio or auto`);
      opts.protocol = p;
    } else if (a === '--chunk-ms') opts.chunkMs = Number(next());
    else if (a === '--auth') opts.auth = next();
    else if (a === '--quiet') opts.quiet = true;
    else if (a === '--help' || a === '-h') opts.help = true;
    else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error('--port must be 0..65535');
  if (opts.chunkMs !== undefined && !(opts.chunkMs >= 20 && opts.chunkMs % 20 === 0)) throw new Error('--chunk-ms must be a multiple of 20');
  return opts;
}

/** Exotel sends numbers as strings or integers; accept both. */
const num = (v: unknown, dflt: number): number => {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : dflt;
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Json => (isObject(v) ? v : {});
const strOf = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** A scalar as text ('' for anything else), for fields the platforms send as strings or numbers. */
const textOf = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/**
 * One stream from the platform. Handlers receive normalised events:
 * start {protocol, streamSid, callSid, from, to, customParameters, encoding: 'pcm'|'mulaw', sampleRate},
 * media {payload: Buffer, chunk}, dtmf {digit}, mark {name}, stop {reason}.
 */
export class BotStream {
  protocol: StreamProtocol | undefined;
  streamSid: string | undefined;
  encoding: 'pcm' | 'mulaw' = 'pcm';
  sampleRate = 8000;
  readonly handlers: { [K in keyof BotEvents]?: BotHandler<K> } = {};

  constructor(
    readonly ws: WebSocket,
    forced: BotProtocolChoice,
    readonly log: (line: string) => void,
  ) {
    this.protocol = forced === 'auto' ? undefined : forced;
  }

  /** Register a handler for a normalised event name. */
  on<K extends keyof BotEvents>(event: K, fn: BotHandler<K>): this {
    (this.handlers as Record<K, BotHandler<K>>)[event] = fn;
    return this;
  }

  /** Bytes per millisecond of audio in this stream's format. */
  get bytesPerMs(): number {
    return this.encoding === 'mulaw' ? 8 : (this.sampleRate / 1000) * 2;
  }

  /** Send raw audio bytes (already in the stream's format) to be played to the caller. */
  sendAudio(bytes: Uint8Array): void {
    this.send({ event: 'media', media: { payload: Buffer.from(bytes).toString('base64') } });
  }

  /** Ask to be told (with a `mark` event) once everything sent before it has played. */
  sendMark(name: string): void {
    this.send({ event: 'mark', mark: { name } });
  }

  /** Barge-in: drop audio queued but not yet played. */
  clear(): void {
    this.send({ event: 'clear' });
  }

  /** The bot hangs up by closing the socket; the call flow then continues with its `closed` outcome. */
  hangup(reason = 'bot done'): void {
    this.ws.close(1000, reason);
  }

  /** Send one message keyed by the stream id, the way the stream's protocol spells it. */
  send(msg: Json): void {
    if (this.ws.readyState !== this.ws.OPEN || !this.streamSid) return;
    const key = this.protocol === 'twilio' ? 'streamSid' : 'stream_sid';
    this.ws.send(JSON.stringify({ ...msg, [key]: this.streamSid }));
  }

  /** Feed one text frame from the platform. */
  receive(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.log(`ignoring a frame that is not JSON: ${text.slice(0, 80)}`);
      return;
    }
    if (!isObject(msg) || typeof msg.event !== 'string') {
      this.log(`ignoring a message without an event: ${text.slice(0, 80)}`);
      return;
    }
    try {
      this.dispatch(msg, msg.event);
    } catch (err) {
      this.log(`handler failed on '${msg.event}': ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Call the handler registered for `name`, if any. */
  emit<K extends keyof BotEvents>(name: K, ev: BotEvents[K]): void {
    this.handlers[name]?.(ev, this);
  }

  private dispatch(msg: Json, event: string): void {
    switch (event) {
      case 'connected':
        return;
      case 'start': {
        const s = obj(msg.start);
        if (!this.protocol) this.protocol = 'sequenceNumber' in msg || 'streamSid' in s ? 'twilio' : 'exotel';
        const twilio = this.protocol === 'twilio';
        this.streamSid = strOf(msg.stream_sid) ?? strOf(msg.streamSid) ?? strOf(s.stream_sid) ?? strOf(s.streamSid);
        const fmt = obj(twilio ? s.mediaFormat : s.media_format);
        this.encoding = twilio || /mulaw|pcmu/i.test(textOf(fmt.encoding)) ? 'mulaw' : 'pcm';
        this.sampleRate = twilio ? 8000 : num(fmt.sample_rate, 8000);
        return this.emit('start', {
          protocol: this.protocol,
          streamSid: this.streamSid,
          callSid: twilio ? s.callSid : s.call_sid,
          from: s.from,
          to: s.to,
          customParameters: obj(twilio ? s.customParameters : s.custom_parameters),
          encoding: this.encoding,
          sampleRate: this.sampleRate,
        });
      }
      case 'media': {
        const media = obj(msg.media);
        if (typeof media.payload !== 'string') return this.log('ignoring media without a payload');
        return this.emit('media', { payload: Buffer.from(media.payload, 'base64'), chunk: num(media.chunk, 0) });
      }
      case 'dtmf':
        return this.emit('dtmf', { digit: textOf(obj(msg.dtmf).digit) });
      case 'mark':
        return this.emit('mark', { name: textOf(obj(msg.mark).name) });
      case 'stop': {
        const reason = obj(msg.stop).reason;
        return this.emit('stop', { reason: typeof reason === 'string' ? reason : 'stopped' });
      }
      default:
        this.log(`ignoring unknown event '${event}'`);
    }
  }
}

/** The Authorization header value a client must send for `auth` (a bearer token, or user:pass for Basic). */
export function expectedAuthorization(auth: string): string {
  return auth.includes(':') ? `Basic ${Buffer.from(auth).toString('base64')}` : `Bearer ${auth}`;
}

/**
 * Serve a bot: `onStream(stream)` is called for every platform connection and registers handlers on it.
 * Resolves with the bound port and a close function once listening.
 */
export function serveBot(opts: BotOptions, onStream: (stream: BotStream) => void): Promise<RunningBot> {
  const log = opts.quiet ? (): void => undefined : (line: string): void => console.log(line);
  const wanted = opts.auth ? expectedAuthorization(opts.auth) : undefined;
  // The platform authenticates on the upgrade (Exotel: Basic from the URL's user:password; callflow also
  // sends Bearer); refuse before any stream starts.
  const verifyClient = (info: { req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void): void => {
    if (!wanted || info.req.headers.authorization === wanted) return done(true);
    log(`[new] refused an upgrade from ${info.req.socket.remoteAddress}: missing or wrong Authorization`);
    return done(false, 401, 'Unauthorized');
  };
  const wss = new WebSocketServer({ port: opts.port, host: opts.host, perMessageDeflate: false, verifyClient });
  wss.on('connection', (ws, req) => {
    const stream: BotStream = new BotStream(ws, opts.protocol, (line) => log(`[${stream.streamSid ?? 'new'}] ${line}`));
    log(`[new] connection from ${req.socket.remoteAddress} ${req.url ?? ''}`);
    onStream(stream);
    ws.on('message', (data, isBinary) => {
      if (isBinary) stream.log('ignoring a binary frame (the protocols use JSON text frames)');
      else stream.receive(Buffer.isBuffer(data) ? data.toString() : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]).toString());
    });
    ws.on('error', (err) => stream.log(`socket error: ${err.message}`));
    ws.on('close', (code) => {
      stream.log(`closed (${code})`);
      stream.emit('close', { code });
    });
  });
  return new Promise((resolve, reject) => {
    wss.once('error', reject);
    wss.once('listening', () => {
      const port = (wss.address() as AddressInfo).port;
      console.log(`listening on ws://${opts.host}:${port}`);
      resolve({
        port,
        close: () =>
          new Promise<void>((r) => {
            for (const c of wss.clients) c.terminate();
            wss.close(() => r());
          }),
      });
    });
  });
}

/** G.711 µ-law encoding of one 16-bit sample (ITU-T G.711, the classic bias-and-segment form). */
export function mulawEncode(sample: number): number {
  const BIAS = 0x84;
  let s = Math.max(-32635, Math.min(32635, sample));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** A sine tone of `ms` milliseconds, encoded in the stream's format (PCM 16-bit LE or µ-law). */
export function toneBytes(stream: Pick<BotStream, 'sampleRate' | 'encoding'>, freq: number, ms: number, amplitude = 8000): Buffer {
  const n = Math.round((stream.sampleRate * ms) / 1000);
  const mulaw = stream.encoding === 'mulaw';
  const out = Buffer.alloc(mulaw ? n : n * 2);
  for (let i = 0; i < n; i++) {
    const v = Math.round(amplitude * Math.sin((2 * Math.PI * freq * i) / stream.sampleRate));
    if (mulaw) out[i] = mulawEncode(v);
    else out.writeInt16LE(v, i * 2);
  }
  return out;
}

/** Run a bot as a CLI: parse args, print usage on --help or bad options, stop on SIGINT/SIGTERM. */
export async function runCli(usage: string, start: (opts: BotOptions) => Promise<RunningBot>): Promise<void> {
  let opts: BotOptions;
  try {
    opts = parseBotArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${usage}`);
    process.exit(2);
  }
  if (opts.help) {
    console.log(usage);
    return;
  }
  const server = await start(opts);
  const stop = (): void => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
