/** Declarations of the steps that control the call itself. */
import { declareStep, seconds } from './types.js';

/** Answer the inbound call (sends 200 OK with our SDP). */
export const answer = declareStep({
  name: 'answer',
  summary: 'Answer the call.',
  args: [],
  outcomes: [{ name: 'ok', doc: 'The call is answered (or already was).' }],
  continueOn: ['ok'],
  needs: { call: true },
  answers: true,
});

/** End the call: BYE when answered, a final response when still ringing. */
export const hangup = declareStep({
  name: 'hangup',
  summary: 'End the call and the session.',
  args: [
    {
      name: 'status',
      type: { kind: 'number', integer: true, min: 400, max: 699 },
      doc: 'SIP status to reject an unanswered call with (e.g. 486 busy). Ignored once answered.',
      default: 480,
    },
    { name: 'reason', type: { kind: 'string' }, doc: 'Reason phrase or cause, shown in the trace and logs.' },
  ],
  outcomes: [],
  continueOn: [],
  needs: { call: true },
  terminal: true,
});

/** Blind transfer with REFER (RFC 3515). */
export const transfer = declareStep({
  name: 'transfer',
  summary: 'Transfer the caller elsewhere with SIP REFER.',
  args: [
    { name: 'to', type: { kind: 'string' }, doc: 'SIP URI or number to transfer to.', required: true, positional: true },
    { name: 'timeout', type: { kind: 'duration' }, doc: 'How long to wait for the transfer to be accepted.', default: seconds(30) },
  ],
  outcomes: [
    { name: 'transferred', doc: 'The far end accepted the REFER and the new call connected.' },
    { name: 'failed', doc: 'The REFER was rejected, timed out, or the new call failed.' },
  ],
  continueOn: ['transferred'],
  needs: { call: true, answered: true },
  waits: true,
});

/** Send DTMF digits on the call with RFC 4733 (in-band if the peer has no telephone-event). */
export const sendDtmf = declareStep({
  name: 'send-dtmf',
  summary: 'Send DTMF digits to the far end.',
  args: [
    { name: 'digits', type: { kind: 'string' }, doc: 'Digits 0-9, *, #, A-D; `w` waits 500 ms.', required: true, positional: true },
    { name: 'duration', type: { kind: 'duration', minMs: 40, maxMs: 5000 }, doc: 'Tone length per digit.', default: 100 },
    { name: 'gap', type: { kind: 'duration', minMs: 0, maxMs: 5000 }, doc: 'Silence between digits.', default: 100 },
  ],
  outcomes: [{ name: 'sent', doc: 'All digits were sent.' }],
  continueOn: ['sent'],
  needs: { call: true, answered: true },
  waits: true,
});

/** Pause the flow. */
export const wait = declareStep({
  name: 'wait',
  summary: 'Wait for a while (the call stays up).',
  args: [{ name: 'duration', type: { kind: 'duration', minMs: 0 }, doc: 'How long to wait.', required: true, positional: true }],
  outcomes: [{ name: 'done', doc: 'The time has passed.' }],
  continueOn: ['done'],
  needs: {},
  waits: true,
});

/** End another call by its id (any node, when nodes share Redis). */
export const endCall = declareStep({
  name: 'end-call',
  summary: 'Hang up another call, found by its call id.',
  args: [{ name: 'id', type: { kind: 'string' }, doc: 'The call id (as returned by originate).', required: true, positional: true }],
  outcomes: [
    { name: 'ended', doc: 'The call existed and was hung up.' },
    { name: 'missing', doc: 'No live call has that id.' },
  ],
  continueOn: ['ended'],
  needs: {},
  into: 'true when the call was found',
});
