/** Turning prompt arguments (file / say / tone) into the Media port's PlayItems. */
import { isAbsolute, resolve } from 'node:path';
import type { PlayItem } from '../ports/media.js';
import type { StepContext } from '../runtime/step-context.js';
import { textOf } from './support.js';

const TONES = ['ringback', 'busy', 'beep', 'dial'] as const;

/** Resolve a prompt or recording path against the flow's directory (absolute paths and URLs stay). */
export function flowPath(ctx: StepContext, path: string): string {
  return isAbsolute(path) || /^[a-z]+:\/\//i.test(path) ? path : resolve(ctx.flowDir, path);
}

/** The items a `file` / `say` / `tone` argument set describes, in that order. */
export function playItemsOf(ctx: StepContext): PlayItem[] {
  const items: PlayItem[] = [];
  const file = ctx.args.file;
  for (const f of Array.isArray(file) ? file : file === undefined || file === null ? [] : [file]) {
    items.push({ kind: 'file', path: flowPath(ctx, String(f)) });
  }
  const say = ctx.args.say;
  if (say !== undefined && say !== null) {
    const voice = ctx.args.voice;
    items.push(typeof voice === 'string' ? { kind: 'say', text: textOf(say), voice } : { kind: 'say', text: textOf(say) });
  }
  const tone = ctx.args.tone;
  if (typeof tone === 'string' && (TONES as readonly string[]).includes(tone)) items.push({ kind: 'tone', name: tone as (typeof TONES)[number] });
  return items;
}

/** A short description of items for traces: say text, file name, or tone:name. */
export function describeItems(items: readonly PlayItem[]): string[] {
  return items.map((i) => (i.kind === 'say' ? i.text : i.kind === 'file' ? i.path : i.kind === 'tone' ? `tone:${i.name}` : `silence:${i.ms}`));
}
