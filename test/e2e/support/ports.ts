/**
 * Fixed ports for e2e tests. Servers use ephemeral HTTP/SIP ports, but SIPp and RTP need known ranges.
 * Each test file takes its own 40-port block inside its helper's assigned range, so files running in
 * parallel never collide:
 *   base+0..5    SIPp SIP ports (one per SIPp process)
 *   base+6..21   SIPp media ports (-mp; SIPp binds mp..mp+3 for audio and video RTP/RTCP), 4 slots
 *   base+22..39  the server's RTP range (RTP/RTCP pairs: 9 legs)
 * callflow serve's own e2e files use 15800-15999 (blocks at 15800, 15840, 15880, 15920, 15960).
 */

/** A 40-port block. */
export interface PortBlock {
  /** The i-th SIPp SIP port (0-5). */
  sipp(i: number): number;
  /** The i-th SIPp media port (0-3). */
  media(i: number): number;
  /** The server's RTP range. */
  rtp: { min: number; max: number };
}

/** The block starting at `base`. */
export function portBlock(base: number): PortBlock {
  return {
    sipp: (i) => base + (i % 6),
    media: (i) => base + 6 + (i % 4) * 4,
    rtp: { min: base + 22, max: base + 39 },
  };
}
