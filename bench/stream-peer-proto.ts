/** The IPC messages between bench/stream-rtp.ts and its peer process, and the clock both sides read. */

/** Parent → peer. */
export type ToPeer =
  | { type: 'remote'; ports: number[] }
  | { type: 'go'; chunkEveryMs: number }
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
    };

/** CLOCK_MONOTONIC in ms, comparable across processes on one machine. */
export const monoMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** Stream ids the parent's client uses, so both sides agree which socket is stream i. */
export const benchSid = (i: number): string => `MZbench${String(i).padStart(5, '0')}`;
