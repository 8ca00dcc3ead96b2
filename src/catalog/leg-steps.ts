/** Declarations of the steps that place new call legs: fork, fallback and originate. */
import { declareStep, seconds, type ArgType } from './types.js';

/** A target: a SIP URI or number string, or {uri, timeout?, from?, headers?}. */
const targets: ArgType = { kind: 'array', items: { kind: 'oneOf', types: [{ kind: 'string' }, { kind: 'object' }] } };

/** Ring several targets at once; the first to answer is bridged to the caller. */
export const fork = declareStep({
  name: 'fork',
  summary: 'Ring targets in parallel; the first answer wins and the other legs are cancelled.',
  args: [
    { name: 'targets', type: targets, doc: 'SIP URIs or numbers to ring.', required: true, positional: true },
    { name: 'timeout', type: { kind: 'duration', minMs: 1000 }, doc: 'How long to ring.', default: seconds(30) },
    { name: 'from', type: { kind: 'string' }, doc: 'Caller id for the new legs (default: the caller).' },
    { name: 'headers', type: { kind: 'object' }, doc: 'Extra SIP headers on the new legs.' },
    { name: 'bridge', type: { kind: 'boolean' }, doc: 'Bridge the winner to the caller until one hangs up.', default: true },
    { name: 'max-duration', type: { kind: 'duration', minMs: 1000 }, doc: 'Longest bridged call.' },
  ],
  outcomes: [
    { name: 'answered', doc: 'A target answered (and, with bridge, the bridged call has ended).' },
    { name: 'busy', doc: 'Every target was busy.' },
    { name: 'no-answer', doc: 'Nobody answered before the timeout.' },
    { name: 'failed', doc: 'Every target failed (declined, unreachable, error).' },
  ],
  continueOn: ['answered'],
  needs: { call: true },
  into: '{target, call_id, status}',
  waits: true,
});

/** Try targets one after another. */
export const fallback = declareStep({
  name: 'fallback',
  summary: 'Try targets in order, moving on when one is busy, does not answer, declines or fails.',
  args: [
    { name: 'targets', type: targets, doc: 'Targets in order; an object may set its own `timeout`.', required: true, positional: true },
    { name: 'timeout', type: { kind: 'duration', minMs: 1000 }, doc: 'Ring time per target.', default: seconds(30) },
    {
      name: 'next-on',
      type: { kind: 'array', items: { kind: 'enum', values: ['busy', 'no-answer', 'declined', 'failed'] } },
      doc: 'Which results move on to the next target.',
    },
    { name: 'from', type: { kind: 'string' }, doc: 'Caller id for the new legs (default: the caller).' },
    { name: 'headers', type: { kind: 'object' }, doc: 'Extra SIP headers on the new legs.' },
    { name: 'bridge', type: { kind: 'boolean' }, doc: 'Bridge the answering target to the caller.', default: true },
    { name: 'max-duration', type: { kind: 'duration', minMs: 1000 }, doc: 'Longest bridged call.' },
  ],
  outcomes: [
    { name: 'answered', doc: 'A target answered (and, with bridge, the bridged call has ended).' },
    { name: 'busy', doc: 'The last target tried was busy.' },
    { name: 'no-answer', doc: 'The last target tried did not answer in time.' },
    { name: 'declined', doc: 'The last target tried declined (603, or another 6xx/4xx rejection).' },
    { name: 'failed', doc: 'The last target tried failed (unreachable, 5xx, bad address).' },
  ],
  continueOn: ['answered'],
  needs: { call: true },
  into: '{target, call_id, status, tried}',
  waits: true,
});

/** Place an outbound call that runs a flow of its own. */
export const originate = declareStep({
  name: 'originate',
  summary: 'Place an outbound call and run a flow on it once it answers.',
  args: [
    { name: 'to', type: { kind: 'string' }, doc: 'Number or SIP URI to call.', required: true, positional: true },
    { name: 'from', type: { kind: 'string' }, doc: 'Caller id.' },
    { name: 'via', type: { kind: 'string' }, doc: 'SIP URI or host of the trunk to route through (default: the configured trunk).' },
    { name: 'flow', type: { kind: 'string' }, doc: 'Flow whose `on start` runs on the answered call (default: this flow).' },
    { name: 'params', type: { kind: 'object' }, doc: 'Parameters for that flow’s `on start`.' },
    { name: 'timeout', type: { kind: 'duration', minMs: 1000 }, doc: 'How long to ring.', default: seconds(60) },
    { name: 'max-duration', type: { kind: 'duration', minMs: 1000 }, doc: 'Longest call after answer.', default: seconds(3600) },
    { name: 'headers', type: { kind: 'object' }, doc: 'Extra SIP headers.' },
    {
      name: 'wait',
      type: { kind: 'enum', values: ['answer', 'none'] },
      doc: 'Wait until the call answers or fails, or continue at once.',
      default: 'answer',
      literal: true,
    },
  ],
  outcomes: [
    { name: 'answered', doc: 'The callee answered; the new call runs its flow. `into` gets {call_id}.', notWith: 'wait' },
    { name: 'started', doc: 'With `wait none`: the call is being placed.', onlyWith: 'wait' },
    { name: 'busy', doc: 'The callee was busy.', notWith: 'wait' },
    { name: 'no-answer', doc: 'No answer before the timeout.', notWith: 'wait' },
    { name: 'invalid', doc: 'The number or address was rejected as invalid (404, 484, 604).' },
    { name: 'failed', doc: 'Any other failure.' },
  ],
  continueOn: ['answered', 'started'],
  needs: {},
  into: '{call_id}',
  waits: true,
});
