/**
 * Twilio Media Streams (bidirectional `<Connect><Stream>`): camelCase, µ-law 8 kHz in 20 ms frames, numbers
 * as strings, inbound track only. `clear` echoes every pending mark at once (Twilio documents this).
 */
import { cleanBase64 } from './audio-codec.js';
import { isRecord, type BotCommand, type BotProtocol, type ProtocolError } from './protocol.js';

/** The Twilio protocol. */
export const twilio: BotProtocol = {
  name: 'twilio',
  clearEchoesMarks: true,
  connected: () => ({ event: 'connected', protocol: 'Call', version: '1.0.0' }),
  start: (f, seq) => ({
    event: 'start',
    sequenceNumber: String(seq),
    start: {
      streamSid: f.streamId,
      accountSid: f.accountId,
      callSid: f.callId,
      tracks: ['inbound'],
      customParameters: { ...f.params },
      mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
    },
    streamSid: f.streamId,
  }),
  media: (f, seq, chunk, timestampMs, payload) => ({
    event: 'media',
    sequenceNumber: String(seq),
    media: { track: 'inbound', chunk: String(chunk), timestamp: String(Math.round(timestampMs)), payload },
    streamSid: f.streamId,
  }),
  dtmf: (f, seq, digit) => ({ event: 'dtmf', streamSid: f.streamId, sequenceNumber: String(seq), dtmf: { track: 'inbound_track', digit } }),
  mark: (f, seq, name) => ({ event: 'mark', sequenceNumber: String(seq), streamSid: f.streamId, mark: { name } }),
  stop: (f, seq) => ({ event: 'stop', sequenceNumber: String(seq), streamSid: f.streamId, stop: { accountSid: f.accountId, callSid: f.callId } }),
  parse(msg, f): BotCommand | ProtocolError {
    if (!isRecord(msg)) return { kind: 'error', message: 'expected a JSON object' };
    const event = msg.event;
    if (typeof event !== 'string') return { kind: 'error', message: "missing 'event'" };
    if (msg.streamSid !== undefined && msg.streamSid !== f.streamId) return { kind: 'error', message: `unknown streamSid '${typeof msg.streamSid === 'string' ? msg.streamSid : JSON.stringify(msg.streamSid)}'` };
    switch (event) {
      case 'media': {
        const payload = isRecord(msg.media) ? msg.media.payload : undefined;
        const b64 = typeof payload === 'string' ? cleanBase64(payload) : null;
        if (b64 === null) return { kind: 'error', message: "media without a base64 'media.payload'" };
        return { kind: 'media', payload: b64 };
      }
      case 'mark': {
        const name = isRecord(msg.mark) ? msg.mark.name : undefined;
        if (typeof name !== 'string') return { kind: 'error', message: "mark without a string 'mark.name'" };
        return { kind: 'mark', name };
      }
      case 'clear':
        return { kind: 'clear' };
      default:
        return { kind: 'error', message: `unknown event '${event}'` };
    }
  },
};
