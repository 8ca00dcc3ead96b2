/**
 * Exotel AgentStream / Voicebot protocol (see shared PROTOCOLS.md): snake_case, numbers sent as strings,
 * 16-bit LE PCM at 8/16/24 kHz by default or µ-law 8 kHz. The bot may key its messages by `stream_sid` or
 * `streamSid` (Exotel's own helpers use the latter), and may send numbers as integers: we accept both.
 */
import { cleanBase64 } from './audio-codec.js';
import { field, isRecord, type BotCommand, type BotProtocol, type ProtocolError, type StreamFacts } from './protocol.js';

const head = (event: string, f: StreamFacts, seq: number): Record<string, unknown> => ({
  event,
  sequence_number: String(seq),
  stream_sid: f.streamId,
});

/** The Exotel protocol. */
export const exotel: BotProtocol = {
  name: 'exotel',
  clearEchoesMarks: false,
  connected: () => ({ event: 'connected' }),
  start: (f, seq) => ({
    ...head('start', f, seq),
    start: {
      stream_sid: f.streamId,
      call_sid: f.callId,
      account_sid: f.accountId,
      from: f.from,
      to: f.to,
      custom_parameters: { ...f.params },
      media_format:
        f.encoding === 'mulaw'
          ? { encoding: 'audio/x-mulaw', sample_rate: '8000', bit_rate: '8' }
          : { encoding: 'audio/x-raw', sample_rate: String(f.sampleRate), bit_rate: '16' },
    },
  }),
  media: (f, seq, chunk, timestampMs, payload) => ({
    ...head('media', f, seq),
    media: { chunk: String(chunk), timestamp: String(Math.round(timestampMs)), payload },
  }),
  dtmf: (f, seq, digit, durationMs) => ({ ...head('dtmf', f, seq), dtmf: { digit, duration: String(Math.round(durationMs)) } }),
  mark: (f, seq, name) => ({ ...head('mark', f, seq), mark: { name } }),
  stop: (f, seq, reason) => ({ ...head('stop', f, seq), stop: { call_sid: f.callId, account_sid: f.accountId, reason } }),
  parse(msg, f): BotCommand | ProtocolError {
    if (!isRecord(msg)) return { kind: 'error', message: 'expected a JSON object' };
    const event = msg.event;
    if (typeof event !== 'string') return { kind: 'error', message: "missing 'event'" };
    const sid = field(msg, 'stream_sid', 'streamSid');
    if (sid !== undefined && sid !== f.streamId) return { kind: 'error', message: `unknown stream_sid '${typeof sid === 'string' ? sid : JSON.stringify(sid)}'` };
    switch (event) {
      case 'media': {
        const media = msg.media;
        const payload = isRecord(media) ? media.payload : undefined;
        const b64 = typeof payload === 'string' ? cleanBase64(payload) : null;
        if (b64 === null) return { kind: 'error', message: "media without a base64 'media.payload'" };
        return { kind: 'media', payload: b64 };
      }
      case 'mark': {
        const mark = msg.mark;
        const name = isRecord(mark) ? mark.name : undefined;
        if (typeof name !== 'string' && typeof name !== 'number') return { kind: 'error', message: "mark without 'mark.name'" };
        return { kind: 'mark', name: String(name) };
      }
      case 'clear':
        return { kind: 'clear' };
      case 'connected':
      case 'ping':
        return { kind: 'ignore' };
      default:
        return { kind: 'error', message: `unknown event '${event}'` };
    }
  },
};
