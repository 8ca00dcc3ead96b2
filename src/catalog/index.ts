/** The step catalog: every step the compiler knows, declared once. */
import { answer, endCall, hangup, sendDtmf, transfer, wait } from './call-steps.js';
import { bridgeToChannel, collectPin, prompt, record, streamToWebsocket } from './media-steps.js';
import { fallback, fork, originate } from './leg-steps.js';
import { log, lookup, notify, respond, storeDelete, storeGet, storeIncr, storePut } from './data-steps.js';
import type { StepDecl } from './types.js';

export * from './types.js';
export { FUNCTIONS, type FunctionDecl } from './functions.js';

const all: readonly StepDecl[] = [
  answer,
  prompt,
  collectPin,
  lookup,
  bridgeToChannel,
  fork,
  fallback,
  streamToWebsocket,
  record,
  sendDtmf,
  transfer,
  hangup,
  wait,
  respond,
  storeGet,
  storePut,
  storeDelete,
  storeIncr,
  originate,
  notify,
  log,
  endCall,
];

/** Every step declaration by name. */
export const STEPS: Readonly<Record<string, StepDecl>> = Object.fromEntries(all.map((d) => [d.name, d]));

/**
 * Statement keywords that are not catalog steps: control flow handled by the compiler and interpreter.
 * `set x = e`, `if c -> a [else -> b]`, `switch e` + `case`/`default`, `goto s` (or `-> s`).
 */
export const CONTROL_KEYWORDS = ['set', 'if', 'switch', 'goto'] as const;

/** Variable roots the runtime provides; anything else must be assigned before it is read. */
export const BUILTIN_ROOTS = ['call', 'request', 'params', 'config', 'env', 'session', 'last'] as const;

/** The reserved transition target that ends the session. */
export const END_TARGET = 'end';

/** Look up a step declaration. */
export function getStep(name: string): StepDecl | undefined {
  return STEPS[name];
}
