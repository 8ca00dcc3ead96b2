/**
 * The Media port over the embedded media Endpoint. Results follow the port's contract: outcomes resolve as
 * data, an aborted signal rejects with its reason, and a call that ends under an operation rejects with
 * `call-ended` (record and joinChannel report the hangup as data instead).
 */
import type { CallLeg } from '../../ports/call-control.js';
import type {
  AudioTap,
  CollectOptions,
  CollectResult,
  DigitEvent,
  Media,
  PlayItem,
  PlayResult,
  RecordOptions,
} from '../../ports/media.js';
import { ownLeg } from './call-control.js';
import type { SipCallLeg } from './call-leg.js';
import { callEnded, EmbeddedEngineError, EngineErrorCode, toError } from './errors.js';
import type { Endpoint } from './media/endpoint/endpoint.js';
import type { PlaySpec } from './media/endpoint/play-items.js';
import type { MediaResources } from './media/endpoint/resources.js';

/** The endpoint of a leg with media now, or the error that says why there is none. */
function endpointNow(leg: CallLeg): { leg: SipCallLeg; ep: Endpoint } {
  const own = ownLeg(leg);
  if (own.state === 'ended') throw callEnded(own.info.id);
  const ep = own.endpoint;
  if (!ep)
    throw new EmbeddedEngineError(
      EngineErrorCode.notAnswered,
      `call ${own.info.id} has no media before it is answered`,
    );
  return { leg: own, ep };
}

/** The endpoint of a leg; a ringing inbound leg gets early media (183) for it. */
async function endpointOf(leg: CallLeg): Promise<{ leg: SipCallLeg; ep: Endpoint }> {
  const own = ownLeg(leg);
  if (own.state === 'ringing' && !own.endpoint) return { leg: own, ep: await own.earlyMedia() };
  return endpointNow(own);
}

/** A port PlayItem as an endpoint play spec. */
export function toSpec(item: PlayItem): PlaySpec {
  switch (item.kind) {
    case 'file':
      return { kind: 'file', path: item.path };
    case 'say':
      return item.voice === undefined
        ? { kind: 'say', text: item.text }
        : { kind: 'say', text: item.text, voice: item.voice };
    case 'tone':
      return { kind: 'tone', name: item.name };
    case 'silence':
      return { kind: 'silence', ms: item.ms };
  }
}

/** The leg's state read afresh (TypeScript narrows a property read across awaits). */
function isEnded(leg: SipCallLeg): boolean {
  return leg.state === 'ended';
}

/** What to throw when an endpoint operation stopped without an outcome. */
function interruption(leg: SipCallLeg, signal?: AbortSignal): unknown {
  if (signal?.aborted) return signal.reason;
  return callEnded(leg.info.id);
}

/**
 * One digit from `accept` (any when absent), null on timeout. Unlike the endpoint's own waitForDigit, keys
 * outside `accept` are consumed: the caller pressed a key that means nothing here, so it must not linger as
 * type-ahead for the next prompt.
 */
function waitForDigit(
  leg: SipCallLeg,
  ep: Endpoint,
  opts: { accept?: string; timeoutMs: number },
  signal?: AbortSignal,
): Promise<DigitEvent | null> {
  return new Promise((resolve, reject) => {
    let done = false;
    let offDigits: () => void = () => undefined;
    let offEnd: () => void = () => undefined;
    const finish = (r: { digit: DigitEvent | null } | { error: unknown }): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      offDigits();
      offEnd();
      signal?.removeEventListener('abort', onAbort);
      if ('error' in r) reject(toError(r.error));
      else resolve(r.digit);
    };
    const onAbort = (): void => finish({ error: signal?.reason });
    const timer = setTimeout(() => finish({ digit: null }), opts.timeoutMs);
    offEnd = leg.onEnd(() => finish({ error: callEnded(leg.info.id) }));
    signal?.addEventListener('abort', onAbort, { once: true });
    offDigits = ep.digits.subscribe((e) => {
      if (done) return false;
      if (opts.accept === undefined || opts.accept.includes(e.digit))
        finish({ digit: { digit: e.digit, durationMs: e.durationMs, at: e.at } });
      return true;
    });
    if (done) offDigits();
  });
}

/** Create the Media port over the legs' endpoints and the engine's shared resources. */
export function createEndpointMedia(resources: MediaResources): Media {
  return {
    async play(leg, items, opts, signal): Promise<PlayResult> {
      if (signal?.aborted) throw signal.reason;
      const { leg: own, ep } = await endpointOf(leg);
      const r = await ep.play(items.map(toSpec), {
        bargeIn: opts.bargeIn,
        loop: opts.loop ?? 1,
        ...(signal ? { signal } : {}),
      });
      if (r.reason === 'done') return { reason: 'done' };
      if (r.reason === 'barge-in')
        return r.digit === undefined ? { reason: 'barge-in' } : { reason: 'barge-in', digit: r.digit };
      throw interruption(own, signal);
    },

    async waitForDigit(leg, opts, signal): Promise<DigitEvent | null> {
      if (signal?.aborted) throw signal.reason;
      const { leg: own, ep } = await endpointOf(leg);
      return waitForDigit(own, ep, opts, signal);
    },

    async collect(leg, opts: CollectOptions, signal): Promise<CollectResult> {
      if (signal?.aborted) throw signal.reason;
      const { leg: own, ep } = await endpointOf(leg);
      const r = await ep.playCollect({
        ...(opts.prompt && opts.prompt.length > 0 ? { file: opts.prompt.map(toSpec) } : {}),
        bargeIn: opts.bargeIn ?? true,
        minDigits: opts.minDigits,
        maxDigits: opts.maxDigits,
        terminators: opts.terminators,
        firstDigitTimeoutMs: opts.firstDigitTimeoutMs,
        interDigitTimeoutMs: opts.interDigitTimeoutMs,
        ...(signal ? { signal } : {}),
      });
      if (r.reason === 'aborted' || r.reason === 'leg-closed') throw interruption(own, signal);
      return r.terminator === undefined
        ? { digits: r.digits, reason: r.reason }
        : { digits: r.digits, reason: r.reason, terminator: r.terminator };
    },

    async record(leg, opts: RecordOptions, signal) {
      if (signal?.aborted) throw signal.reason;
      const { ep } = await endpointOf(leg);
      const r = await ep.record(opts.file, {
        mode: opts.mode,
        maxDurationMs: opts.maxDurationMs,
        terminators: opts.terminators,
        beep: opts.beep,
        ...(opts.silenceTimeoutMs !== undefined ? { silenceMs: opts.silenceTimeoutMs } : {}),
        ...(signal ? { signal } : {}),
      });
      switch (r.reason) {
        case 'aborted':
          if (signal?.aborted) throw signal.reason;
          return { file: r.file, durationMs: r.durationMs, reason: 'aborted' };
        case 'error':
          throw new EmbeddedEngineError(
            EngineErrorCode.mediaError,
            `recording to ${r.file} failed: ${r.error ?? 'unknown error'}`,
          );
        case 'stopped':
          return { file: r.file, durationMs: r.durationMs, reason: 'aborted' };
        case 'hangup':
        case 'max-duration':
        case 'silence':
        case 'terminator':
          return { file: r.file, durationMs: r.durationMs, reason: r.reason };
      }
    },

    async joinChannel(leg, channel, opts, signal): Promise<'left' | 'ended'> {
      if (signal?.aborted) throw signal.reason;
      const own = ownLeg(leg);
      if (own.state === 'ended') return 'ended';
      const { ep } = await endpointOf(own);
      if (opts.beep) await ep.tone('beep', { ms: 200, ...(signal ? { signal } : {}) });
      if (signal?.aborted) throw signal.reason;
      if (isEnded(own)) return 'ended';
      const member = ep.joinChannel(channel, { muted: opts.muted, ...(signal ? { signal } : {}) });
      const how = await member.left;
      if (isEnded(own) || how === 'ended') return 'ended';
      if (signal?.aborted) throw signal.reason;
      return 'left';
    },

    kickChannel: (channel) => Promise.resolve(resources.channels.kick(channel)),

    tap(leg, opts): AudioTap {
      return endpointNow(leg).ep.tap({ sampleRate: opts.sampleRate });
    },

    onDigit(leg, fn) {
      return ownLeg(leg).observeDigits(fn);
    },
  };
}
