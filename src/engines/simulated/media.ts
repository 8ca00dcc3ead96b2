/**
 * Simulated Media: prompts take virtual time, digits come from the script, and every operation is recorded.
 * Keys pressed while nothing listens are buffered and taken by the next listener (type-ahead), as on
 * FreeSWITCH and the embedded engine.
 */
import type { CallLeg } from '../../ports/call-control.js';
import type { CollectOptions, CollectResult, DigitEvent, Media, PlayItem, PlayResult, RecordOptions } from '../../ports/media.js';
import { SimCallEndedError, SimCallLeg } from './call-leg.js';
import { createSimCollect } from './collect.js';
import type { ChannelRecord, PromptRecord } from './record.js';
import { SimAudioTap } from './tap.js';
import type { SimWorld } from './world.js';

/** How long an item takes to play in the simulation. */
export function itemMs(world: SimWorld, item: PlayItem): number {
  const t = world.script.timing ?? {};
  switch (item.kind) {
    case 'say':
      return Math.max(300, item.text.length * (t.sayMsPerChar ?? 60));
    case 'file':
      return t.fileMs ?? 2000;
    case 'tone':
      return t.toneMs ?? 1000;
    case 'silence':
      return item.ms;
  }
}

/** Settle an operation when the leg ends or the signal aborts; returns the cleanup. */
export function guardOp(leg: CallLeg, signal: AbortSignal | undefined, onEnd: () => void, onAbort: () => void): () => void {
  const offEnd = leg instanceof SimCallLeg ? leg.onEnd(onEnd) : watchEnded(leg, onEnd);
  signal?.addEventListener('abort', onAbort, { once: true });
  return () => {
    offEnd();
    signal?.removeEventListener('abort', onAbort);
  };
}

function watchEnded(leg: CallLeg, fn: () => void): () => void {
  let live = true;
  void leg.ended.then(() => live && fn());
  return () => (live = false);
}

/** Play items to a leg, with optional barge-in; records a PromptRecord. */
export function simPlay(world: SimWorld, leg: CallLeg, items: PlayItem[], opts: { bargeIn: boolean; loop?: number }, signal?: AbortSignal): Promise<PlayResult> {
  return new Promise<PlayResult>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    if (leg.state === 'ended') return reject(new SimCallEndedError(leg.info.id));
    const loop = opts.loop ?? 1;
    const rec: PromptRecord = { at: world.t(), leg: leg.info.id, items, loop, bargeIn: opts.bargeIn };
    world.record.prompts.push(rec);
    world.moment('prompt');
    world.active.plays++;
    const audio = world.audioOf(leg.info.id);
    let done = false;
    const finish = (result: NonNullable<PromptRecord['result']>, digit?: DigitEvent): void => {
      if (done) return;
      done = true;
      rec.result = result;
      rec.endedAt = world.t();
      if (digit) rec.digit = digit.digit;
      world.active.plays--;
      cancelTimer();
      cleanup();
      const i = audio.consumers.indexOf(consumer);
      if (i >= 0) audio.consumers.splice(i, 1);
      if (result === 'ended') reject(new SimCallEndedError(leg.info.id));
      else if (result === 'aborted') reject(signal?.reason as Error);
      else resolve(digit ? { reason: 'barge-in', digit: digit.digit } : { reason: 'done' });
    };
    const consumer = (e: DigitEvent): boolean => {
      finish('barge-in', e);
      return true;
    };
    const total = loop * items.reduce((sum, item) => sum + itemMs(world, item), 0);
    const cancelTimer = world.clock.setTimer(total, () => finish('done'));
    const cleanup = guardOp(leg, signal, () => finish('ended'), () => finish('aborted'));
    if (opts.bargeIn) {
      const buffered = audio.buffer.shift();
      if (buffered) return finish('barge-in', buffered);
      audio.consumers.push(consumer);
    }
  });
}

/** Create the simulated Media port. */
export function createSimMedia(world: SimWorld): Media {
  const members = new Map<string, Set<{ leg: string; leave: (how: 'left') => void }>>();
  for (const k of world.script.channels ?? []) world.when({ at: k.at }, () => void kickChannel(k.channel));

  async function kickChannel(channel: string): Promise<number> {
    const set = members.get(channel);
    const list = [...(set ?? [])];
    world.record.events.push({ at: world.t(), type: 'kick', channel, members: list.length });
    for (const m of list) m.leave('left');
    return list.length;
  }

  function waitForDigit(leg: CallLeg, opts: { accept?: string; timeoutMs: number }, signal?: AbortSignal): Promise<DigitEvent | null> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      if (leg.state === 'ended') return reject(new SimCallEndedError(leg.info.id));
      const audio = world.audioOf(leg.info.id);
      const started = world.t();
      world.active.listens++;
      let done = false;
      const finish = (how: 'digit' | 'timeout' | 'ended' | 'aborted', e?: DigitEvent): void => {
        if (done) return;
        done = true;
        world.active.listens--;
        cancelTimer();
        cleanup();
        const i = audio.consumers.indexOf(consumer);
        if (i >= 0) audio.consumers.splice(i, 1);
        const reason = how === 'digit' ? 'complete' : how;
        world.record.collects.push({ at: started, leg: leg.info.id, kind: 'digit', digits: e?.digit ?? '', reason });
        if (how === 'ended') reject(new SimCallEndedError(leg.info.id));
        else if (how === 'aborted') reject(signal?.reason as Error);
        else resolve(e ?? null);
      };
      // Keys outside `accept` are swallowed: the caller pressed a key that means nothing here.
      const consumer = (e: DigitEvent): boolean => {
        if (!opts.accept || opts.accept.includes(e.digit)) finish('digit', e);
        return true;
      };
      const cancelTimer = world.clock.setTimer(opts.timeoutMs, () => finish('timeout'));
      const cleanup = guardOp(leg, signal, () => finish('ended'), () => finish('aborted'));
      while (!done && audio.buffer.length > 0) consumer(audio.buffer.shift() as DigitEvent);
      if (!done) audio.consumers.push(consumer);
      world.moment('listen');
    });
  }

  function record(leg: CallLeg, opts: RecordOptions, signal?: AbortSignal): ReturnType<Media['record']> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      if (leg.state === 'ended') return reject(new SimCallEndedError(leg.info.id));
      if (world.script.recordFails) return reject(new Error(`cannot write '${opts.file}'`));
      const audio = world.audioOf(leg.info.id);
      const started = world.t();
      const scripted = world.script.timing?.recordMs;
      const ms = Math.min(scripted ?? opts.maxDurationMs, opts.maxDurationMs);
      const timeoutReason = scripted !== undefined && scripted < opts.maxDurationMs && opts.silenceTimeoutMs !== undefined ? 'silence' : 'max-duration';
      let done = false;
      const finish = (reason: 'max-duration' | 'silence' | 'terminator' | 'hangup' | 'aborted'): void => {
        if (done) return;
        done = true;
        cancelTimer();
        cleanup();
        const i = audio.consumers.indexOf(consumer);
        if (i >= 0) audio.consumers.splice(i, 1);
        const durationMs = world.t() - started;
        world.record.events.push({ at: started, type: 'record', leg: leg.info.id, file: opts.file, durationMs, reason });
        if (reason === 'aborted') reject(signal?.reason as Error);
        else resolve({ file: opts.file, durationMs, reason });
      };
      const consumer = (e: DigitEvent): boolean => {
        if (!opts.terminators.includes(e.digit)) return false;
        finish('terminator');
        return true;
      };
      const cancelTimer = world.clock.setTimer(ms, () => finish(timeoutReason));
      const cleanup = guardOp(leg, signal, () => finish('hangup'), () => finish('aborted'));
      audio.consumers.push(consumer);
    });
  }

  function joinChannel(leg: CallLeg, channel: string, opts: { muted: boolean; beep: boolean }, signal?: AbortSignal): Promise<'left' | 'ended'> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason as Error);
      if (leg.state === 'ended') return resolve('ended');
      const rec: ChannelRecord = { at: world.t(), leg: leg.info.id, channel, muted: opts.muted };
      world.record.channels.push(rec);
      world.active.channels++;
      let set = members.get(channel);
      if (!set) members.set(channel, (set = new Set()));
      const member = { leg: leg.info.id, leave: (how: 'left') => finish(how) };
      set.add(member);
      let done = false;
      function finish(how: 'left' | 'ended' | 'aborted'): void {
        if (done) return;
        done = true;
        rec.result = how;
        rec.leftAt = world.t();
        world.active.channels--;
        set?.delete(member);
        if (set?.size === 0) members.delete(channel);
        cleanup();
        if (how === 'aborted') reject(signal?.reason as Error);
        else resolve(how);
      }
      const cleanup = guardOp(leg, signal, () => finish('ended'), () => finish('aborted'));
    });
  }

  return {
    play: (leg, items, opts, signal) => simPlay(world, leg, items, opts, signal),
    waitForDigit,
    collect: (leg: CallLeg, opts: CollectOptions, signal?: AbortSignal): Promise<CollectResult> => createSimCollect(world, leg, opts, signal),
    record,
    joinChannel,
    kickChannel,
    tap: (leg, opts) => new SimAudioTap(world, leg, opts.sampleRate),
    onDigit(leg, fn) {
      const audio = world.audioOf(leg.info.id);
      audio.observers.add(fn);
      return () => audio.observers.delete(fn);
    },
  };
}

