/** Declarations of the steps that play to, listen to, or connect the caller's audio. */
import { declareStep, seconds } from './types.js';

/** Play a file, speak text, or play a tone; optionally wait for a digit. */
export const prompt = declareStep({
  name: 'prompt',
  summary: 'Play audio to the caller: a file, text to speech, or a tone; optionally wait for a digit.',
  args: [
    { name: 'file', type: { kind: 'oneOf', types: [{ kind: 'string' }, { kind: 'array', items: { kind: 'string' } }] }, doc: 'WAV or raw G.711 file(s), played in order.' },
    { name: 'say', type: { kind: 'string' }, doc: 'Text spoken with text-to-speech.' },
    { name: 'tone', type: { kind: 'enum', values: ['ringback', 'busy', 'beep', 'dial'] }, doc: 'A standard tone.' },
    { name: 'voice', type: { kind: 'string' }, doc: 'TTS voice (espeak-ng voice name on the embedded engine).', default: 'en-us' },
    { name: 'loop', type: { kind: 'number', integer: true, min: 1, max: 100 }, doc: 'Times to play it.', default: 1 },
    { name: 'barge-in', type: { kind: 'boolean' }, doc: 'Stop playing when the caller presses a digit.', flag: true, default: false },
    {
      name: 'wait',
      type: { kind: 'enum', values: ['none', 'any', 'digits'] },
      doc: 'After playing, wait for a digit: none; any digit (the "lazy" mode); or one of `digits`.',
      default: 'none',
      literal: true,
    },
    { name: 'digits', type: { kind: 'string' }, doc: 'With `wait digits`: the digits that count, e.g. "12*".' },
    { name: 'timeout', type: { kind: 'duration', minMs: 100 }, doc: 'How long to wait for the digit.', default: seconds(10) },
  ],
  outcomes: [
    { name: 'done', doc: 'Played to the end (and no digit was awaited).', notWith: 'wait' },
    { name: 'digit', doc: 'A digit was pressed (awaited, or barge-in); `into` receives it.', onlyWith: ['wait', 'barge-in'] },
    { name: 'timeout', doc: 'No acceptable digit came in time.', onlyWith: 'wait' },
  ],
  continueOn: ['done', 'digit'],
  needs: { call: true, answered: true },
  into: 'the digit pressed, or null',
  waits: true,
  oneOf: [['file', 'say', 'tone']],
});

/** Collect a PIN or other digit string. */
export const collectPin = declareStep({
  name: 'collect-pin',
  summary: 'Collect digits (a PIN, an account number), with timeouts, a terminator and validation.',
  args: [
    { name: 'say', type: { kind: 'string' }, doc: 'Prompt spoken before collecting (barge-in on).' },
    { name: 'file', type: { kind: 'string' }, doc: 'Prompt file played before collecting (barge-in on).' },
    { name: 'min-digits', type: { kind: 'number', integer: true, min: 1, max: 64 }, doc: 'Fewest digits accepted.', default: 1 },
    { name: 'max-digits', type: { kind: 'number', integer: true, min: 1, max: 64 }, doc: 'Most digits; collection ends when reached.', default: 16 },
    { name: 'terminator', type: { kind: 'string' }, doc: 'Digit(s) that end the input early (not included).', default: '#' },
    { name: 'first-digit-timeout', type: { kind: 'duration', minMs: 100 }, doc: 'Time allowed for the first digit.', default: seconds(10) },
    { name: 'inter-digit-timeout', type: { kind: 'duration', minMs: 100 }, doc: 'Time allowed between digits.', default: seconds(5) },
    { name: 'pattern', type: { kind: 'string' }, doc: 'Digits must match this pattern (a regular expression over 0-9*#).' },
    { name: 'attempts', type: { kind: 'number', integer: true, min: 1, max: 10 }, doc: 'Attempts within the step; after a failed one the prompt is repeated.', default: 1 },
    { name: 'invalid-say', type: { kind: 'string' }, doc: 'Spoken after a failed attempt, before the prompt is repeated.' },
  ],
  outcomes: [
    { name: 'ok', doc: 'Valid digits were collected; `into` receives them.' },
    { name: 'timeout', doc: 'No (or too few) digits before the timeout, on the only attempt.' },
    { name: 'invalid', doc: 'Digits did not match `pattern` or `min-digits`, on the only attempt.' },
    { name: 'max-attempts', doc: 'With `attempts` > 1: every attempt failed.', onlyWith: 'attempts' },
  ],
  continueOn: ['ok'],
  needs: { call: true, answered: true },
  into: 'the digits collected (a string, without the terminator)',
  waits: true,
});

/** Record the caller. */
export const record = declareStep({
  name: 'record',
  summary: 'Record the call to a WAV file.',
  args: [
    { name: 'file', type: { kind: 'string' }, doc: 'Path of the WAV file to write.', required: true, positional: true },
    { name: 'max-duration', type: { kind: 'duration', minMs: 1000 }, doc: 'Longest recording.', default: seconds(60) },
    { name: 'silence-timeout', type: { kind: 'duration', minMs: 500 }, doc: 'Stop after this much silence.' },
    { name: 'mode', type: { kind: 'enum', values: ['caller', 'mixed'] }, doc: 'Only the caller, or both directions mixed.', default: 'caller' },
    { name: 'beep', type: { kind: 'boolean' }, doc: 'Play a beep before recording.', flag: true, default: false },
    { name: 'terminator', type: { kind: 'string' }, doc: 'Digit(s) that stop the recording.', default: '#' },
  ],
  outcomes: [
    { name: 'done', doc: 'Recording finished (max duration, silence or terminator); `into` gets {file, duration_ms, reason}.' },
    { name: 'failed', doc: 'The file could not be written.' },
  ],
  continueOn: ['done'],
  needs: { call: true, answered: true },
  into: '{file, duration_ms, reason}',
  waits: true,
});

/** Join the caller to a named channel (conference room). */
export const bridgeToChannel = declareStep({
  name: 'bridge-to-channel',
  summary: 'Join the caller to a channel (room) where everyone hears everyone else.',
  args: [
    { name: 'channel', type: { kind: 'string' }, doc: 'Channel name; created on first join.', required: true, positional: true },
    { name: 'muted', type: { kind: 'boolean' }, doc: 'Join muted (listen only).', flag: true, default: false },
    { name: 'max-duration', type: { kind: 'duration', minMs: 1000 }, doc: 'Leave the channel after this long.' },
    { name: 'beep', type: { kind: 'boolean' }, doc: 'Play a beep to the channel on join.', flag: true, default: false },
  ],
  outcomes: [
    { name: 'left', doc: 'The caller was removed from the channel (not by hanging up).' },
    { name: 'timeout', doc: '`max-duration` passed.', onlyWith: 'max-duration' },
  ],
  continueOn: ['left', 'timeout'],
  needs: { call: true, answered: true },
  waits: true,
});

/** Stream the call's audio both ways to a WebSocket voice bot. */
export const streamToWebsocket = declareStep({
  name: 'stream-to-websocket',
  summary: 'Connect the caller to a WebSocket voice bot, audio both ways (Exotel or Twilio protocol).',
  args: [
    { name: 'url', type: { kind: 'string' }, doc: 'ws:// or wss:// URL of the bot, or an https:// URL answering {"url": "wss://..."}.', required: true, positional: true },
    { name: 'protocol', type: { kind: 'enum', values: ['exotel', 'twilio'] }, doc: 'Message protocol.', default: 'exotel', literal: true },
    { name: 'params', type: { kind: 'object' }, doc: 'Custom parameters sent in the start message.' },
    {
      name: 'sample-rate',
      type: { kind: 'enum', values: ['8000', '16000', '24000'] },
      doc: "PCM sample rate for exotel; without it, the URL's `sample-rate` query parameter (as Exotel reads it), else 8000.",
    },
    { name: 'encoding', type: { kind: 'enum', values: ['pcm', 'mulaw'] }, doc: 'exotel audio encoding.', default: 'pcm' },
    { name: 'bidirectional', type: { kind: 'boolean' }, doc: 'Play the bot audio to the caller.', default: true },
    { name: 'username', type: { kind: 'string' }, doc: 'Basic auth user for the upgrade request.' },
    { name: 'password', type: { kind: 'string' }, doc: 'Basic auth password.' },
    { name: 'bearer', type: { kind: 'string' }, doc: 'Bearer token for the upgrade request.' },
    { name: 'connect-timeout', type: { kind: 'duration', minMs: 500 }, doc: 'Handshake timeout (one retry follows).', default: seconds(10) },
    { name: 'max-duration', type: { kind: 'duration', minMs: 1000 }, doc: 'Longest stream.', default: seconds(3600) },
  ],
  outcomes: [
    { name: 'closed', doc: 'The bot closed the socket; the flow continues.' },
    { name: 'error', doc: 'The bot could not be reached (after one retry) or the socket failed.' },
    { name: 'timeout', doc: '`max-duration` passed.' },
  ],
  continueOn: ['closed', 'timeout'],
  needs: { call: true, answered: true },
  waits: true,
});
