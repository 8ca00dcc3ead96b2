/**
 * An endpoint over one RTP leg, shaped like a drachtio-fsmrf endpoint: play, say, tone, playCollect, record,
 * join a channel, bridge, tap, send DTMF. Every operation takes an AbortSignal and removes its timers and
 * listeners when it settles. Outcomes (barge-in, timeout, hangup, abort) resolve as data; only a failure to
 * load audio (missing file, no espeak-ng) rejects.
 */
import { EventEmitter } from 'node:events';
import type { Member } from '../mix/channel.js';
import type { FrameSource, LegDtmf, LegLike } from '../play/pcm.js';
import { PLAY_END, play, type PlayTarget, type PlaybackResult } from '../play/player.js';
import { ToneSource, type CallProgressTone, type ToneSpec } from '../play/tones.js';
import { legFeed, mixedFeed } from '../record/feeds.js';
import { RECORD_END, Recorder, type FrameFeed, type RecordResult } from '../record/recorder.js';
import { AudioTap, type TapOptions } from '../tap/tap.js';
import { collectDigits, type CollectOutcome, type CollectSpec } from './collect.js';
import { DigitRouter } from './digit-router.js';
import { OutputMux } from './output-mux.js';
import { pcmRelay, type PcmRelay } from './pcm-relay.js';
import { namedTone, resolvePlaylist, type PlaySpec } from './play-items.js';
import type { MediaResources } from './resources.js';

/** Options common to playback operations. */
export interface EndpointPlayOptions {
  bargeIn?: boolean;
  loop?: number;
  signal?: AbortSignal;
}

/** playCollect: a prompt (files/items or text) and the collection rules. */
export interface PlayCollectOptions extends CollectSpec {
  file?: PlaySpec | PlaySpec[];
  text?: string;
  voice?: string;
}

/** Recording options. */
export interface EndpointRecordOptions {
  /** 'caller': what the caller says; 'mixed': both directions. */
  mode?: 'caller' | 'mixed';
  maxDurationMs?: number;
  silenceMs?: number;
  silenceThreshold?: number;
  /** Keys that stop the recording. */
  terminators?: string;
  /** Play a beep before recording. */
  beep?: boolean;
  signal?: AbortSignal;
}

/** Events: 'dtmf' (LegDtmf), 'destroyed'. */
export class Endpoint extends EventEmitter {
  readonly digits: DigitRouter;
  private readonly mux = new OutputMux();
  private member: Member | null = null;
  private bridged: { other: Endpoint; relay: PcmRelay; offDtmf: () => void } | null = null;
  private destroyed = false;
  private readonly target: PlayTarget;

  constructor(readonly leg: LegLike, private readonly res: MediaResources) {
    super();
    this.digits = new DigitRouter(leg);
    this.digits.observe((e) => this.emit('dtmf', e));
    const mux = this.mux;
    this.target = {
      leg,
      setOutput: (src, onReplaced) => {
        const cur = mux.current('foreground');
        if (src) mux.set('foreground', src, onReplaced);
        else if (cur) mux.release('foreground', cur);
      },
      get output() {
        return mux.current('foreground');
      },
      subscribeDigits: (fn) => this.digits.subscribe(fn),
    };
    leg.once('close', () => this.cleanup());
    leg.setSource(this.mux);
  }

  /** True once destroyed or the leg closed. */
  get closed(): boolean {
    return this.destroyed;
  }

  /** The channel member, while in a channel. */
  get channelMember(): Member | null {
    return this.member;
  }

  /** See every frame sent to the caller; returns unsubscribe. */
  onSent(fn: (pcm: Int16Array) => void): () => void {
    return this.mux.observe(fn);
  }

  /** See every digit (type-ahead buffering is unaffected); returns unsubscribe. */
  onDigit(fn: (e: LegDtmf) => void): () => void {
    return this.digits.observe(fn);
  }

  /** Play files / items in order (`loop` times). Rejects only if audio cannot be loaded. */
  async play(items: PlaySpec | PlaySpec[], opts: EndpointPlayOptions = {}): Promise<PlaybackResult> {
    if (this.destroyed) return { reason: PLAY_END.legClosed };
    if (opts.signal?.aborted) return { reason: PLAY_END.aborted };
    const source = await resolvePlaylist(this.res, Array.isArray(items) ? items : [items], opts.loop ?? 1);
    return this.playSource(source, opts);
  }

  /** Play a ready frame source. */
  playSource(source: FrameSource, opts: EndpointPlayOptions = {}): Promise<PlaybackResult> {
    if (this.destroyed) return Promise.resolve({ reason: PLAY_END.legClosed });
    return play(this.target, source, { bargeIn: opts.bargeIn ?? false, signal: opts.signal });
  }

  /** Speak `text` through TTS. */
  say(text: string, opts: EndpointPlayOptions & { voice?: string; rate?: number } = {}): Promise<PlaybackResult> {
    return this.play({ kind: 'say', text, voice: opts.voice, rate: opts.rate }, opts);
  }

  /** Play a named or custom tone; a named tone without `ms` plays until the signal aborts. */
  tone(spec: CallProgressTone | ToneSpec, opts: EndpointPlayOptions & { ms?: number } = {}): Promise<PlaybackResult> {
    const src = typeof spec === 'string' ? namedTone(spec, opts.ms ?? Infinity) : new ToneSource(spec);
    return this.playSource(src, opts);
  }

  /** Stop whatever prompt is playing (its promise resolves 'aborted'). */
  stopPlayback(): void {
    this.mux.evict('foreground');
  }

  /** Play a prompt and collect digits (play_and_get_digits). */
  async playCollect(opts: PlayCollectOptions): Promise<CollectOutcome> {
    if (this.destroyed) return { digits: '', reason: 'leg-closed' };
    if (opts.signal?.aborted) return { digits: '', reason: 'aborted' };
    const items: PlaySpec[] = opts.file !== undefined ? (Array.isArray(opts.file) ? opts.file : [opts.file]) : [];
    if (opts.text !== undefined) items.push({ kind: 'say', text: opts.text, voice: opts.voice });
    const prompt = items.length > 0 ? await resolvePlaylist(this.res, items) : null;
    return collectDigits(
      {
        leg: this.leg,
        digits: this.digits,
        playPrompt: prompt ? (signal) => this.playSource(prompt, { bargeIn: false, signal }) : null,
      },
      opts,
    );
  }

  /** Collect digits without a prompt. */
  collectDigits(spec: CollectSpec): Promise<CollectOutcome> {
    return this.playCollect(spec);
  }

  /** Wait for one digit (optionally only from `accept`); null on timeout, abort or hangup. */
  waitForDigit(opts: { accept?: string; timeoutMs: number; signal?: AbortSignal }): Promise<LegDtmf | null> {
    if (this.destroyed || opts.signal?.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      let done = false;
      const finish = (e: LegDtmf | null): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        off();
        this.leg.off('close', onEnd);
        opts.signal?.removeEventListener('abort', onEnd);
        resolve(e);
      };
      const onEnd = (): void => finish(null);
      const timer = setTimeout(onEnd, opts.timeoutMs);
      let off: () => void = () => undefined;
      off = this.digits.subscribe((e) => {
        if (done || (opts.accept !== undefined && !opts.accept.includes(e.digit))) return false;
        finish(e);
        return true;
      });
      if (done) return off();
      this.leg.once('close', onEnd);
      opts.signal?.addEventListener('abort', onEnd, { once: true });
    });
  }

  /** Record to a WAV file (8 kHz, 16-bit mono). */
  async record(file: string, opts: EndpointRecordOptions = {}): Promise<RecordResult> {
    if (this.destroyed) return { file, durationMs: 0, reason: RECORD_END.hangup };
    if (opts.beep) {
      const r = await this.tone('beep', { signal: opts.signal });
      if (r.reason === PLAY_END.aborted) return { file, durationMs: 0, reason: RECORD_END.aborted };
      if (r.reason === PLAY_END.legClosed) return { file, durationMs: 0, reason: RECORD_END.hangup };
    }
    const feed: FrameFeed = opts.mode === 'mixed' ? mixedFeed(this.leg, (fn) => this.onSent(fn)) : legFeed(this.leg);
    const rec = await Recorder.start(file, feed, {
      maxDurationMs: opts.maxDurationMs,
      silenceMs: opts.silenceMs,
      silenceThreshold: opts.silenceThreshold,
      signal: opts.signal,
    });
    if (this.destroyed) void rec.stop(RECORD_END.hangup);
    const terms = opts.terminators ?? '';
    const offDigits = terms
      ? this.digits.subscribe((e) => {
          if (!terms.includes(e.digit)) return false;
          void rec.stop(RECORD_END.terminator);
          return true;
        })
      : () => undefined;
    const result = await rec.done;
    offDigits();
    return result;
  }

  /** Join channel `name`; the returned member's `left` resolves when it leaves. Aborting the signal leaves. */
  joinChannel(name: string, opts: { muted?: boolean; signal?: AbortSignal } = {}): Member {
    this.releaseBase();
    const mux = this.mux;
    let own: FrameSource | null = null;
    const member = this.res.channels.join(name, this.leg, {
      muted: opts.muted,
      setOutput: (src) => {
        if (src) {
          own = src;
          mux.set('base', src, () => this.leaveChannel());
        } else if (own) mux.release('base', own);
      },
    });
    this.member = member;
    const signal = opts.signal;
    if (signal) {
      const onAbort = (): void => {
        if (this.member === member) this.leaveChannel();
      };
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        void member.left.then(() => signal.removeEventListener('abort', onAbort));
      }
    }
    void member.left.then(() => {
      if (this.member === member) this.member = null;
    });
    return member;
  }

  /** Leave the current channel (no-op when in none). */
  leaveChannel(): void {
    const m = this.member;
    this.member = null;
    if (m) this.res.channels.leave(m);
  }

  /** Mute or unmute this endpoint in its channel. */
  setMuted(muted: boolean): void {
    if (this.member) this.member.muted = muted;
  }

  /** Bridge audio and DTMF both ways with `other` (PCM relay, so codecs may differ). */
  bridge(other: Endpoint): void {
    if (other === this) return;
    this.releaseBase();
    other.releaseBase();
    this.attachRelay(other);
    other.attachRelay(this);
  }

  private attachRelay(other: Endpoint): void {
    const relay = pcmRelay(other.leg);
    // DTMF passes through as RFC 4733 events on the far leg.
    const offDtmf = this.digits.observe((e) => void other.leg.sendDtmf(e.digit, { durationMs: e.durationMs }).catch(() => undefined));
    this.bridged = { other, relay, offDtmf };
    this.mux.set('base', relay.source, () => this.unbridge());
  }

  /** Undo a bridge on both sides. */
  unbridge(): void {
    const b = this.bridged;
    if (!b) return;
    this.bridged = null;
    b.relay.close();
    b.offDtmf();
    this.mux.release('base', b.relay.source);
    b.other.unbridge();
  }

  /** The endpoint this one is bridged to. */
  get bridgedTo(): Endpoint | null {
    return this.bridged?.other ?? null;
  }

  /** Open an audio tap for a bot (replaces a channel or bridge on this side). */
  tap(opts: Omit<TapOptions, 'setOutput'> = {}): AudioTap {
    this.releaseBase();
    const mux = this.mux;
    let tap: AudioTap | null = null;
    let own: FrameSource | null = null;
    tap = new AudioTap(this.leg, {
      ...opts,
      setOutput: (src) => {
        if (src) {
          own = src;
          mux.set('base', src, () => tap?.close());
        } else if (own) mux.release('base', own);
      },
    });
    return tap;
  }

  /** Send RFC 4733 digits. */
  sendDtmf(digits: string, opts?: { durationMs?: number }): Promise<void> {
    return this.leg.sendDtmf(digits, opts);
  }

  /** Release whatever runs in the base layer (channel, bridge, tap). */
  private releaseBase(): void {
    this.leaveChannel();
    this.unbridge();
    this.mux.evict('base');
  }

  private cleanup(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.releaseBase();
    this.digits.close();
    this.emit('destroyed');
  }

  /** Stop everything and close the leg. */
  destroy(): void {
    this.stopPlayback();
    this.cleanup();
    this.leg.setSource(null);
    this.leg.close();
  }
}
