/**
 * The caller-audio message of one stream, written straight into a reused buffer: no message object, no
 * JSON.stringify, no base64 string, no UTF-8 re-encoding in `ws`. The template comes from the protocol's own
 * `media()` builder (rendered once with sentinel values and split on them), so the protocol module stays the
 * single source of the message's shape; a builder whose output the template cannot reproduce byte for byte
 * gets no writer, and the driver falls back to the generic path.
 */
import { base64Length, mulawEncodeInto, pcmBytes, pcmToBase64, pcmToMulawBase64, writeBase64 } from './audio-codec.js';
import type { BotProtocol, StreamFacts } from './protocol.js';
import { FRAME_HEADROOM, maskedTextFrame } from './ws-frame.js';

const SLOT = { seq: 'seq', chunk: 'chunk', timestamp: 'timestamp', payload: 'payload' } as const;
type Slot = (typeof SLOT)[keyof typeof SLOT];

const SENTINEL = { seq: 917_364_251, chunk: 917_364_252, timestamp: 917_364_253, payload: '@@callflow-payload@@' } as const;
/** Room for one decimal integer (up to 2^53 has 16 digits, plus a sign). */
const DIGITS_MAX = 17;

/** Write a non-negative safe integer in decimal ASCII at `o`; returns the offset after it. */
function writeUint(dst: Buffer, o: number, v: number): number {
  if (!(v >= 0 && Number.isSafeInteger(v))) return o + dst.write(String(v), o, 'latin1');
  if (v < 10) {
    dst[o] = 48 + v;
    return o + 1;
  }
  let len = 0;
  for (let x = v; x > 0; x = Math.floor(x / 10)) len++;
  for (let i = o + len - 1, x = v; i >= o; i--, x = Math.floor(x / 10)) dst[i] = 48 + (x % 10);
  return o + len;
}

/** Our own memory (byte 0 of its ArrayBuffer, length a multiple of 4), viewed as bytes and as 32-bit words. */
function alloc(bytes: number): { buf: Buffer; words: Uint32Array } {
  const ab = new ArrayBuffer((bytes + 3) & ~3);
  return { buf: Buffer.from(ab), words: new Uint32Array(ab) };
}

/**
 * Writes one stream's media messages, after FRAME_HEADROOM bytes of room for a WebSocket header; the returned
 * buffer is reused by the next write (renew() gives up the memory when a socket still holds it).
 */
export class MediaWriter {
  private buf: Buffer;
  private words: Uint32Array;
  private scratch = new Uint8Array(0);
  private readonly fixedBytes: number;

  private constructor(
    private readonly pieces: Buffer[],
    private readonly slots: Slot[],
    private readonly mulaw: boolean,
  ) {
    this.fixedBytes = pieces.reduce((n, p) => n + p.length, 0) + 3 * DIGITS_MAX;
    ({ buf: this.buf, words: this.words } = alloc(FRAME_HEADROOM + this.fixedBytes + base64Length(640)));
  }

  /** Stop reusing the current memory (a socket write still holds it); the next write gets fresh memory. */
  renew(): void {
    ({ buf: this.buf, words: this.words } = alloc(this.buf.length));
  }

  /**
   * The message for one frame of caller audio as a complete masked WebSocket text frame (RFC 6455 §5.2-5.3),
   * ready for the socket; valid until the next call.
   */
  frame(seq: number, chunk: number, timestampMs: number, pcm: Int16Array): Buffer {
    const end = this.writeAt(seq, chunk, timestampMs, pcm);
    const start = maskedTextFrame(this.buf, this.words, FRAME_HEADROOM, end - FRAME_HEADROOM);
    return this.buf.subarray(start, end);
  }

  /** A writer reproducing `protocol.media()` for this stream, or null when its output cannot be templated. */
  static for(protocol: BotProtocol, facts: StreamFacts): MediaWriter | null {
    const text = JSON.stringify(protocol.media(facts, SENTINEL.seq, SENTINEL.chunk, SENTINEL.timestamp, SENTINEL.payload));
    const found: Array<{ slot: Slot; at: number; len: number }> = [];
    for (const slot of Object.values(SLOT)) {
      const token = String(SENTINEL[slot]);
      const at = text.indexOf(token);
      if (at < 0 || text.indexOf(token, at + 1) >= 0) return null;
      found.push({ slot, at, len: token.length });
    }
    found.sort((a, b) => a.at - b.at);
    const pieces: Buffer[] = [];
    let from = 0;
    for (const f of found) {
      pieces.push(Buffer.from(text.slice(from, f.at), 'utf8'));
      from = f.at + f.len;
    }
    pieces.push(Buffer.from(text.slice(from), 'utf8'));
    const writer = new MediaWriter(pieces, found.map((f) => f.slot), facts.encoding === 'mulaw');
    // Prove the template on a real frame before trusting it (a builder may format numbers its own way).
    const probe = Int16Array.from([0, 1, -1, 1000, -32768, 32767, 12345]);
    const encode = writer.mulaw ? pcmToMulawBase64 : pcmToBase64;
    const expected = JSON.stringify(protocol.media(facts, 12, 34, 5678.4, encode(probe)));
    return writer.write(12, 34, 5678.4, probe).toString('utf8') === expected ? writer : null;
  }

  /** The message for one frame of caller audio, as UTF-8 bytes; valid until the next call. */
  write(seq: number, chunk: number, timestampMs: number, pcm: Int16Array): Buffer {
    const end = this.writeAt(seq, chunk, timestampMs, pcm);
    return this.buf.subarray(FRAME_HEADROOM, end);
  }

  /** Write the message at FRAME_HEADROOM; returns the offset after it. */
  private writeAt(seq: number, chunk: number, timestampMs: number, pcm: Int16Array): number {
    let bytes: Uint8Array;
    if (this.mulaw) {
      if (this.scratch.length < pcm.length) this.scratch = new Uint8Array(pcm.length);
      bytes = this.scratch.subarray(0, mulawEncodeInto(pcm, this.scratch));
    } else bytes = pcmBytes(pcm);
    const need = FRAME_HEADROOM + this.fixedBytes + base64Length(bytes.length) + 4;
    if (this.buf.length < need) ({ buf: this.buf, words: this.words } = alloc(need));
    const dst = this.buf;
    let o = FRAME_HEADROOM;
    for (let i = 0; i < this.slots.length; i++) {
      o += (this.pieces[i] as Buffer).copy(dst, o);
      switch (this.slots[i] as Slot) {
        case SLOT.seq:
          o = writeUint(dst, o, seq);
          break;
        case SLOT.chunk:
          o = writeUint(dst, o, chunk);
          break;
        case SLOT.timestamp:
          o = writeUint(dst, o, Math.round(timestampMs));
          break;
        case SLOT.payload:
          o = writeBase64(bytes, dst, o);
      }
    }
    o += (this.pieces[this.slots.length] as Buffer).copy(dst, o);
    return o;
  }
}
