/**
 * The Bots port over WebSocket. One stream: connect (with retry), send connected + start, forward caller audio
 * and digits, play the bot's audio through the tap (which paces it and fires marks only after playout), and
 * end cleanly whichever side goes first. Bot protocol mistakes are logged with the offending content and
 * never end the call; a socket that stops answering pings is treated as dead so the caller isn't left in silence.
 */
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import WebSocket from 'ws';
import type { AudioTap, BotStreamOptions, BotStreamResult, Bots } from '../ports/index.js';
import { mulawBase64ToPcm, PcmDecoder, pcmToBase64, pcmToMulawBase64 } from './audio-codec.js';
import { BotConnectError, connectBot, resolveBotUrl, upgradeAuth } from './connect.js';
import { MediaWriter } from './media-writer.js';
import { TextFrames } from './ws-frame.js';
import type { BotProtocol, StreamFacts } from './protocol.js';
import { PROTOCOLS } from './registry.js';

/** Options for the WebSocket bot engine. */
export interface WsBotsOptions {
  log: Logger;
  /**
   * Ping the bot this often; a bot that has sent nothing (no pong, no message) by the next ping, i.e. within
   * one interval, is taken for dead and the stream ends with `error`.
   */
  pingIntervalMs?: number;
  newStreamId?: () => string;
}

/** Our media messages are JSON text frames even when handed to `ws` as bytes. */
const AS_TEXT = { binary: false } as const;

const truncate = (s: string, n = 300): string => (s.length > n ? `${s.slice(0, n)}…` : s);

/** Close codes of a deliberate, clean end (RFC 6455 §7.4.1); 1005 is a closing handshake without a code. */
const CLEAN_CLOSE: ReadonlySet<number> = new Set([1000, 1001, 1005]);

/** Bytes of a binary frame shown in the log. */
const HEX_BYTES = 64;

/** The whole message of a binary frame, however `ws` delivered it. */
function bytesOf(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/**
 * The socket under `ws`, when our own frames may be written to it directly: no extension negotiated (so `ws`
 * never holds messages back in a queue of its own, and frames carry no RSV bits) and a socket to write to.
 * `ws` writes every other frame synchronously too, so frames from both stay whole and in call order.
 */
function rawSocket(ws: WebSocket): Duplex | null {
  const sock = (ws as unknown as { _socket?: Duplex })._socket;
  return ws.extensions === '' && sock && typeof sock.write === 'function' ? sock : null;
}

/** Create the Bots port. */
export function createWsBots(opts: WsBotsOptions): Bots {
  const pingIntervalMs = opts.pingIntervalMs ?? 10_000;
  const newStreamId = opts.newStreamId ?? (() => `MZ${randomUUID().replaceAll('-', '')}`);

  return {
    async stream(tap, o, signal) {
      const protocol = PROTOCOLS[o.protocol];
      if (!protocol) return { outcome: 'error', detail: `unknown bot protocol '${o.protocol}'` };
      // Twilio and µ-law streams are 8 kHz whatever was asked (PROTOCOLS.md); the step opens the tap at the
      // rate we announce in `start`.
      const fixedRate = o.protocol === 'twilio' || o.encoding === 'mulaw';
      const facts: StreamFacts = {
        streamId: newStreamId(),
        callId: o.call.id,
        accountId: o.accountId,
        from: o.call.from,
        to: o.call.to,
        params: o.params,
        sampleRate: fixedRate ? 8000 : o.sampleRate,
        encoding: o.protocol === 'twilio' ? 'mulaw' : o.encoding,
      };
      const log = opts.log.child({ callId: o.call.id, streamSid: facts.streamId, protocol: protocol.name });
      if (fixedRate && o.sampleRate !== 8000) {
        log.warn({ asked: o.sampleRate, used: 8000 }, `sample-rate ${o.sampleRate} ignored: ${o.protocol === 'twilio' ? 'twilio' : 'µ-law'} streams are 8000 Hz`);
      }
      if (tap.sampleRate !== facts.sampleRate) log.warn({ tap: tap.sampleRate, stream: facts.sampleRate }, 'the audio tap runs at a different rate than the stream');
      let ws: WebSocket;
      try {
        const resolved = await resolveBotUrl(o.url, o.connectTimeoutMs, signal);
        const { url, headers } = upgradeAuth(resolved, o.auth);
        ws = await connectBot(url, headers, o.connectTimeoutMs, signal);
      } catch (err) {
        if (signal?.aborted) return { outcome: 'aborted', streamId: facts.streamId };
        const detail = err instanceof BotConnectError ? err.message : String(err);
        log.warn({ detail }, 'bot unreachable');
        return { outcome: 'error', detail, streamId: facts.streamId };
      }
      log.info('bot stream started');
      return runStream(ws, tap, protocol, facts, o, signal, log, pingIntervalMs);
    },
  };
}

function runStream(
  ws: WebSocket,
  tap: AudioTap,
  protocol: BotProtocol,
  facts: StreamFacts,
  o: BotStreamOptions,
  signal: AbortSignal | undefined,
  log: Logger,
  pingIntervalMs: number,
): Promise<BotStreamResult> {
  return new Promise((resolve) => {
    let seq = 0;
    let chunk = 0;
    let finished = false;
    let alive = true;
    const t0 = performance.now();
    const encode = facts.encoding === 'mulaw' ? pcmToMulawBase64 : pcmToBase64;
    const pcmDecoder = new PcmDecoder();
    const decode = facts.encoding === 'mulaw' ? mulawBase64ToPcm : (b64: string): Int16Array => pcmDecoder.decode(b64);
    let socketError: string | undefined;
    let mediaIgnoredLogged = false;
    // Our frames go straight to the socket when `ws` allows it (rawSocket): framed and masked in reused
    // buffers (ws-frame.ts); a buffer the socket could not take at once is left to it and replaced.
    const raw = rawSocket(ws);
    const texts = raw ? new TextFrames() : null;
    const send = (msg: Record<string, unknown>): void => {
      if (ws.readyState !== WebSocket.OPEN) return;
      const text = JSON.stringify(msg);
      if (!raw || !texts) return void ws.send(text);
      raw.write(texts.frame(text));
      if (raw.writableLength > 0) texts.renew();
    };

    const connected = protocol.connected();
    if (connected) send(connected);
    send(protocol.start(facts, ++seq));

    // Caller audio, 50 frames a second: written straight into a reused buffer when the protocol's message can
    // be templated, framed and masked there too. Without a raw socket `ws` frames it: it copies (and masks) a
    // Buffer into its own frame before send() returns unless an extension (permessage-deflate) is negotiated,
    // so reusing the buffer is safe exactly then.
    const writer = MediaWriter.for(protocol, facts);
    const reuse = ws.extensions === '';
    const sendMedia = (pcm: Int16Array): void => {
      const s = ++seq;
      const c = ++chunk;
      if (ws.readyState !== WebSocket.OPEN) return;
      const ts = performance.now() - t0;
      if (!writer) return ws.send(JSON.stringify(protocol.media(facts, s, c, ts, encode(pcm))));
      if (raw) {
        raw.write(writer.frame(s, c, ts, pcm));
        if (raw.writableLength > 0) writer.renew();
        return;
      }
      const bytes = writer.write(s, c, ts, pcm);
      ws.send(reuse ? bytes : Buffer.from(bytes), AS_TEXT);
    };
    const offAudio = tap.onAudio(sendMedia);
    // DTMF events belong to bidirectional streams only (PROTOCOLS.md): a listen-only bot gets none.
    const offDtmf = o.bidirectional ? tap.onDtmf((e) => send(protocol.dtmf(facts, ++seq, e.digit, e.durationMs))) : () => undefined;
    const offMark = tap.onMark((name) => send(protocol.mark(facts, ++seq, name)));

    const maxTimer = setTimeout(() => stop('stopped', 'timeout'), o.maxDurationMs);
    const pinger = setInterval(() => {
      if (!alive) {
        log.warn('bot stopped answering pings; ending the stream');
        ws.terminate();
        finish({ outcome: 'error', detail: 'the bot stopped answering WebSocket pings' });
        return;
      }
      alive = false;
      ws.ping();
    }, pingIntervalMs);
    ws.on('pong', () => (alive = true));

    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      alive = true;
      if (isBinary) {
        const bytes = bytesOf(data);
        log.warn({ bytes: bytes.length, head: bytes.subarray(0, HEX_BYTES).toString('hex') }, 'bot sent a binary frame; only JSON text frames are accepted');
        return;
      }
      const text = (data as Buffer).toString();
      let msg: unknown;
      try {
        msg = JSON.parse(text);
      } catch {
        log.warn({ content: truncate(text) }, 'bot sent a message that is not JSON');
        return;
      }
      const cmd = protocol.parse(msg, facts);
      switch (cmd.kind) {
        case 'error':
          log.warn({ content: truncate(text), problem: cmd.message }, 'bot protocol error');
          return;
        case 'ignore':
          return;
        case 'media':
          if (o.bidirectional) tap.enqueue(decode(cmd.payload));
          else if (!mediaIgnoredLogged) {
            mediaIgnoredLogged = true;
            log.warn('bot sent media on a stream that is not bidirectional; ignored (logged once)');
          }
          return;
        case 'mark':
          if (!o.bidirectional) return void log.warn({ content: truncate(text) }, 'bot sent a mark on a stream that is not bidirectional; ignored');
          tap.mark(cmd.name);
          return;
        case 'clear': {
          if (!o.bidirectional) return void log.warn({ content: truncate(text) }, 'bot sent clear on a stream that is not bidirectional; ignored');
          pcmDecoder.reset();
          const dropped = tap.clear();
          if (protocol.clearEchoesMarks) for (const name of dropped) send(protocol.mark(facts, ++seq, name));
          return;
        }
      }
    });
    // A clean close is the bot hanging up (the flow continues with `closed`); an abrupt one (1006), an error
    // code such as 1011, or a frame `ws` rejected (RFC 6455 §7.1.7: it fails the connection) is the step's
    // documented "the socket failed", so flows can fall back.
    ws.on('close', (code, reason) => {
      const why = `${code}${reason.length ? ` ${reason.toString()}` : ''}`;
      if (socketError === undefined && CLEAN_CLOSE.has(code)) return finish({ outcome: 'closed', detail: `bot closed the socket (${why})` });
      if (!finished) log.warn({ code, err: socketError }, 'bot socket failed');
      finish({ outcome: 'error', detail: `the bot socket failed (${why})${socketError ? `: ${socketError}` : ''}` });
    });
    ws.on('error', (err) => {
      socketError ??= err.message;
      log.warn({ err: err.message }, 'bot socket error');
    });

    // The session aborts the step when the call ends, usually before our own callEnded reaction runs; wait a
    // turn so the bot is told `callended` rather than `stopped` in that case.
    let callGone = false;
    const onAbort = (): void => {
      setImmediate(() => (callGone ? stop('callended', 'hangup') : stop('stopped', 'aborted')));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    void o.callEnded?.then(() => {
      callGone = true;
      stop('callended', 'hangup');
    });

    function stop(reason: 'stopped' | 'callended', outcome: BotStreamResult['outcome']): void {
      if (finished) return;
      send(protocol.stop(facts, ++seq, reason));
      ws.close(1000, reason);
      // A bot that never completes the closing handshake must not hold the socket open.
      setTimeout(() => ws.terminate(), 2000).unref();
      finish({ outcome });
    }

    function finish(result: Omit<BotStreamResult, 'streamId'>): void {
      if (finished) return;
      finished = true;
      clearTimeout(maxTimer);
      clearInterval(pinger);
      offAudio();
      offDtmf();
      offMark();
      signal?.removeEventListener('abort', onAbort);
      log.info({ outcome: result.outcome, detail: result.detail }, 'bot stream ended');
      resolve({ ...result, streamId: facts.streamId });
    }
  });
}
