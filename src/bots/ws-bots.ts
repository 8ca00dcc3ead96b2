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
import { pcmToBase64, pcmToMulawBase64 } from './audio-codec.js';
import { BotConnectError, connectBot, resolveBotUrl, upgradeAuth } from './connect.js';
import { MediaWriter } from './media-writer.js';
import { TextFrames } from './ws-frame.js';
import type { BotProtocol, StreamFacts } from './protocol.js';
import { PROTOCOLS } from './registry.js';

/** Options for the WebSocket bot engine. */
export interface WsBotsOptions {
  log: Logger;
  /** Ping the bot this often; two missed pongs end the stream with `error`. */
  pingIntervalMs?: number;
  newStreamId?: () => string;
}

/** Our media messages are JSON text frames even when handed to `ws` as bytes. */
const AS_TEXT = { binary: false } as const;

const truncate = (s: string, n = 300): string => (s.length > n ? `${s.slice(0, n)}…` : s);

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
      // Twilio streams are µ-law at 8 kHz whatever was asked; the tap was opened at the rate we report.
      const facts: StreamFacts = {
        streamId: newStreamId(),
        callId: o.call.id,
        accountId: o.accountId,
        from: o.call.from,
        to: o.call.to,
        params: o.params,
        sampleRate: o.protocol === 'twilio' ? 8000 : o.sampleRate,
        encoding: o.protocol === 'twilio' ? 'mulaw' : o.encoding,
      };
      const log = opts.log.child({ callId: o.call.id, streamSid: facts.streamId, protocol: protocol.name });
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
    const offDtmf = tap.onDtmf((e) => send(protocol.dtmf(facts, ++seq, e.digit, e.durationMs)));
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
        log.warn({ bytes: (data as Buffer).length }, 'bot sent a binary frame; only JSON text frames are accepted');
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
          if (o.bidirectional) tap.enqueue(cmd.pcm);
          return;
        case 'mark':
          tap.mark(cmd.name);
          return;
        case 'clear': {
          const dropped = tap.clear();
          if (protocol.clearEchoesMarks) for (const name of dropped) send(protocol.mark(facts, ++seq, name));
          return;
        }
      }
    });
    ws.on('close', (code, reason) => finish({ outcome: 'closed', detail: `bot closed the socket (${code}${reason.length ? ` ${reason.toString()}` : ''})` }));
    ws.on('error', (err) => log.warn({ err: err.message }, 'bot socket error'));

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
