/**
 * Simulated voice bots: a scripted bot per URL sends audio, marks and clears at given times and closes the
 * socket when told; the caller's digits and played-out marks are recorded as messages to the bot.
 */
import type { BotStreamResult, Bots } from '../../ports/bots.js';
import type { CancelTimer } from '../../ports/clock.js';
import type { BotRecord } from './record.js';
import { globMatch } from './script.js';
import type { SimWorld } from './world.js';

/** Create the simulated Bots port. */
export function createSimBots(world: SimWorld): Bots {
  let streams = 0;
  return {
    stream(tap, opts, signal) {
      const streamId = `MZsim${++streams}`;
      const bot = (world.script.bots ?? []).find((b) => globMatch(b.url, opts.url));
      const rec: BotRecord = { at: world.t(), url: opts.url, protocol: opts.protocol, params: { ...opts.params }, messages: [] };
      world.record.bots.push(rec);
      return new Promise<BotStreamResult>((resolve) => {
        const timers: CancelTimer[] = [];
        const offs: Array<() => void> = [];
        let done = false;
        const finish = (outcome: BotStreamResult['outcome'], detail?: string): void => {
          if (done) return;
          done = true;
          for (const cancel of timers) cancel();
          for (const off of offs) off();
          signal?.removeEventListener('abort', onAbort);
          world.active.bots--;
          rec.result = outcome;
          rec.endedAt = world.t();
          resolve(detail === undefined ? { outcome, streamId } : { outcome, detail, streamId });
        };
        const onAbort = (): void => finish('aborted');
        world.active.bots++;
        if (signal?.aborted) return finish('aborted');
        signal?.addEventListener('abort', onAbort, { once: true });
        if (!bot || bot.unreachable) {
          const detail = bot ? `bot at ${opts.url} is unreachable` : `no scripted bot for ${opts.url}`;
          timers.push(world.clock.setTimer(0, () => finish('error', detail)));
          return;
        }
        const at = (ms: number, fn: () => void): void => void timers.push(world.clock.setTimer(ms, fn));
        for (const m of bot.messages ?? []) {
          at(m.at, () => {
            const entry: BotRecord['messages'][number] = { at: world.t(), from: 'bot', event: m.event };
            if (m.event === 'media') {
              const ms = m.ms ?? 200;
              entry.ms = ms;
              if (opts.bidirectional) tap.enqueue(new Int16Array(Math.round((ms * tap.sampleRate) / 1000)));
            } else if (m.event === 'mark') {
              entry.name = m.name ?? 'mark';
              tap.mark(entry.name);
            } else tap.clear();
            rec.messages.push(entry);
          });
        }
        offs.push(tap.onMark((name) => rec.messages.push({ at: world.t(), from: 'caller', event: 'mark', name })));
        offs.push(tap.onDtmf((e) => rec.messages.push({ at: world.t(), from: 'caller', event: 'dtmf', digit: e.digit })));
        if (bot.closeAt !== undefined) at(bot.closeAt, () => finish('closed', 'bot closed the socket (1000)'));
        if (bot.errorAt !== undefined) at(bot.errorAt, () => finish('error', 'bot socket failed'));
        at(opts.maxDurationMs, () => finish('timeout'));
        if (opts.callEnded) {
          let live = true;
          offs.push(() => (live = false));
          void opts.callEnded.then(() => live && finish('hangup'));
        }
      });
    },
  };
}
