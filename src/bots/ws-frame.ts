/**
 * Client-to-server WebSocket text frames (RFC 6455 §5.2) built around a message already sitting in our own
 * buffer: the header goes into the room left before it and the payload is masked in place (§5.3) four bytes at
 * a time. `ws` would copy each message into a fresh frame and mask it byte by byte in JavaScript (no native
 * bufferutil here), which was the largest single cost of our process per caller frame.
 */
import { randomFillSync } from 'node:crypto';

/** Room before the payload for the longest header (2 + 8 length bytes + 4 masking key), kept 4-aligned. */
export const FRAME_HEADROOM = 16;

const FIN_TEXT = 0x81;
const MASK_BIT = 0x80;

/** Masking keys come from a CSPRNG pool refilled in blocks, as `ws` does (§5.3: unpredictable, per frame). */
const POOL_SIZE = 8192;
const pool = Buffer.alloc(POOL_SIZE);
let poolAt = POOL_SIZE;
const key8 = new Uint8Array(4);
const key32 = new Uint32Array(key8.buffer);

function nextKey(): void {
  if (poolAt === POOL_SIZE) {
    randomFillSync(pool);
    poolAt = 0;
  }
  key8[0] = pool[poolAt++] as number;
  key8[1] = pool[poolAt++] as number;
  key8[2] = pool[poolAt++] as number;
  key8[3] = pool[poolAt++] as number;
}

/**
 * Turn `bytes[start, start + len)` into a masked text frame in place and return the frame's first byte
 * offset (the frame ends at start + len). `words` views the same memory as `bytes` from byte 0 (so `start`
 * must be a multiple of 4 and ≥ FRAME_HEADROOM); bytes past the payload up to the next multiple of 4 may be
 * overwritten.
 */
export function maskedTextFrame(bytes: Uint8Array, words: Uint32Array, start: number, len: number): number {
  nextKey();
  let h: number;
  if (len < 126) {
    h = start - 6;
    bytes[h + 1] = MASK_BIT | len;
  } else if (len < 65536) {
    h = start - 8;
    bytes[h + 1] = MASK_BIT | 126;
    bytes[h + 2] = len >>> 8;
    bytes[h + 3] = len & 0xff;
  } else {
    h = start - 14;
    bytes[h + 1] = MASK_BIT | 127;
    for (let i = 0, v = len; i < 8; i++, v = Math.floor(v / 256)) bytes[h + 9 - i] = v % 256;
  }
  bytes[h] = FIN_TEXT;
  bytes.set(key8, start - 4);
  // Word j of the payload is masked by the key's four bytes in memory order, which key32 holds in the same
  // byte order as `words`, whatever the host's endianness.
  const k = key32[0] as number;
  const first = start >>> 2;
  const end = first + ((len + 3) >>> 2);
  for (let j = first; j < end; j++) words[j] = (words[j] as number) ^ k;
  return h;
}

/** Text messages framed in a reused buffer (for the messages that are not caller audio: start, marks, stop). */
export class TextFrames {
  private bytes = Buffer.alloc(0);
  private words = new Uint32Array(0);

  /** `text` as one masked text frame; valid until the next call. */
  frame(text: string): Buffer {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const room = FRAME_HEADROOM + 3 * text.length + 4;
    if (this.bytes.length < room) this.alloc(Math.max(room, 1024));
    const len = this.bytes.write(text, FRAME_HEADROOM, 'utf8');
    return this.bytes.subarray(maskedTextFrame(this.bytes, this.words, FRAME_HEADROOM, len), FRAME_HEADROOM + len);
  }

  /** Stop reusing the current memory (a socket write still holds it). */
  renew(): void {
    this.alloc(this.bytes.length);
  }

  private alloc(n: number): void {
    const ab = new ArrayBuffer((n + 3) & ~3);
    this.bytes = Buffer.from(ab);
    this.words = new Uint32Array(ab);
  }
}
