/** Builders for small FlowIr values in runtime tests (the compiler is another layer's). */
import type { Expr } from '../../language/ast.js';
import type { EntryIr, FlowIr, StatementIr, TransitionIr } from '../../compiler/ir.js';
import { at } from './expr.js';

const R = at();

/** Transitions. */
export const t = {
  goto: (state: string): TransitionIr => ({ kind: 'goto', state, range: R }),
  cont: (): TransitionIr => ({ kind: 'continue' }),
  end: (): TransitionIr => ({ kind: 'end', range: R }),
  bounded: (counter: string, max: number, then: TransitionIr, otherwise: TransitionIr): TransitionIr => ({ kind: 'bounded', counter, max, then, else: otherwise, range: R }),
};

type DistOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A statement without its id and range. */
export type Stmt = DistOmit<StatementIr, 'id' | 'range'>;

/** Statements (ids and ranges are filled in by `flow`). */
export const s = {
  step: (step: string, args: Record<string, Expr> = {}, outcomes: Record<string, TransitionIr> = {}, into?: string): Stmt => ({
    op: 'step',
    step,
    args,
    outcomes,
    ...(into === undefined ? {} : { into }),
  }),
  set: (target: string, value: Expr): Stmt => ({ op: 'set', target: target.split('.'), value }),
  if: (cond: Expr, then: TransitionIr, otherwise: TransitionIr = t.cont()): Stmt => ({ op: 'if', cond, then, else: otherwise }),
  switch: (subject: Expr, cases: Array<{ values: Expr[]; to: TransitionIr }>, otherwise: TransitionIr = t.cont()): Stmt => ({ op: 'switch', subject, cases, default: otherwise }),
  goto: (state: string): Stmt => ({ op: 'goto', to: t.goto(state) }),
  end: (): Stmt => ({ op: 'goto', to: t.end() }),
};

/** A flow from states; statement ranges are on consecutive lines of `file` so traces can be asserted. */
export function flow(name: string, states: Record<string, Stmt[]>, opts: { file?: string; entries?: EntryIr[]; sourceHash?: string } = {}): FlowIr {
  const file = opts.file ?? `${name}.flow`;
  let line = 1;
  const out: FlowIr['states'] = {};
  for (const [state, body] of Object.entries(states)) {
    const stateLine = line++;
    out[state] = {
      name: state,
      range: at(stateLine, 0, file),
      body: body.map((st, i) => ({ ...st, id: `${state}/${i}`, range: at(line++, 2, file) })),
    };
  }
  const first = Object.keys(states)[0] ?? 'main';
  return {
    irVersion: 1,
    name,
    file,
    sourceHash: opts.sourceHash ?? `hash-${name}`,
    configs: [],
    entries: opts.entries ?? [{ kind: 'start', id: 'start', params: [], to: t.goto(first), range: at(0, 0, file) }],
    states: out,
  };
}
