/** The IPC messages between bench/stream-rtp.ts and its peer process, and the clock both sides read. */
import type { ProbeReport } from './stream-probe.js';

/** Parent → peer. */
export type ToPeer =
  | { type: 'remote'; ports: number[] }
  | { type: 'go'; chunkEveryMs: number }
  /** The measuring window starts: start the stall probe. */
  | { type: 'window' }
  | { type: 'report'; fromMs: number; toMs: number }
  | { type: 'exit' };

/** Peer → parent. */
export type FromPeer =
  | { type: 'ready'; wsPort: number; callerPorts: number[] }
  | { type: 'connected'; count: number }
  | {
      type: 'report';
      /** Per stream, the monotonic send time of every chunk sent (in order), window or not. */
      chunkSends: number[][];
      /** Caller RTP sent → WebSocket frame received by the bot, ms, end to end (both ends in the peer). */
      inLat: number[];
      /** WS in → RTP out, ms, for chunks sent inside the window. */
      outLat: number[];
      framesToBot: number;
      /** Frames the bot got without a readable send time (concealed, faded or garbled on the way). */
      unstamped: number;
      chunksBack: number;
      /** Caller → bot frames slower than 5 ms in the window, as [bot receive mono ms, latency ms]. */
      inSlow: Array<[number, number]>;
      /** Bot chunks whose audio never came back to the caller (given up after 1 s). */
      chunksLost: number;
      /** The peer's own stalls and GC over the window. */
      probe: ProbeReport;
    };

/** CLOCK_MONOTONIC in ms, comparable across processes on one machine. */
export const monoMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** Stream ids the parent's client uses, so both sides agree which socket is stream i. */
export const benchSid = (i: number): string => `MZbench${String(i).padStart(5, '0')}`;
