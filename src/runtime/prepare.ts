/**
 * A FlowIr prepared for interpretation, once per IR object: expressions compiled to closures, goto targets
 * resolved to state objects, catalog declarations and argument defaults looked up. The IR stays plain JSON;
 * this is its in-memory, executable twin (cached by identity, so a pinned version is prepared once).
 */
import { getStep, type StepDecl } from '../catalog/index.js';
import type { FlowIr, IfIr, SetIr, StateIr, StepIr, SwitchIr, GotoIr, TransitionIr } from '../compiler/ir.js';
import type { SourceRange } from '../language/diagnostics.js';
import { compileExpr, type CompiledExpr } from './eval.js';

/** A transition with its target state resolved. */
export type PTransition =
  | { kind: 'goto'; state: PState; range: SourceRange }
  | { kind: 'continue' }
  | { kind: 'end'; range?: SourceRange }
  | { kind: 'bounded'; counter: string; max: number; then: PTransition; else: PTransition; range: SourceRange }
  /** A goto to a state the IR lacks (the compiler prevents it; the interpreter ends the session with an error). */
  | { kind: 'missing'; state: string; range: SourceRange };

/** A prepared step statement. */
export interface PStep {
  op: 'step';
  ir: StepIr;
  decl: StepDecl | undefined;
  args: ReadonlyArray<readonly [string, CompiledExpr]>;
  /** Catalog defaults for arguments the flow did not give. */
  defaults: ReadonlyArray<readonly [string, unknown]>;
  outcomes: Readonly<Record<string, PTransition>>;
  into: readonly string[] | undefined;
}

/** A prepared `set`. */
export interface PSet {
  op: 'set';
  ir: SetIr;
  value: CompiledExpr;
  name: string;
}

/** A prepared `if`. */
export interface PIf {
  op: 'if';
  ir: IfIr;
  cond: CompiledExpr;
  then: PTransition;
  else: PTransition;
}

/** A prepared `switch`. */
export interface PSwitch {
  op: 'switch';
  ir: SwitchIr;
  subject: CompiledExpr;
  cases: ReadonlyArray<{ values: CompiledExpr[]; to: PTransition }>;
  default: PTransition;
}

/** A prepared `goto`. */
export interface PGoto {
  op: 'goto';
  ir: GotoIr;
  to: PTransition;
}

/** Any prepared statement. */
export type PStatement = PStep | PSet | PIf | PSwitch | PGoto;

/** A prepared state. */
export interface PState {
  name: string;
  range: SourceRange;
  body: PStatement[];
}

/** A prepared flow. */
export interface PreparedFlow {
  ir: FlowIr;
  states: ReadonlyMap<string, PState>;
  /** Resolve an entry's (or any) transition against this flow's states. */
  transition(t: TransitionIr): PTransition;
}

const cache = new WeakMap<FlowIr, PreparedFlow>();

/** Prepare a flow (memoised per IR object). */
export function prepareFlow(ir: FlowIr): PreparedFlow {
  let p = cache.get(ir);
  if (!p) {
    p = build(ir);
    cache.set(ir, p);
  }
  return p;
}

function build(ir: FlowIr): PreparedFlow {
  const states = new Map<string, PState>();
  for (const [name, s] of Object.entries(ir.states)) states.set(name, { name, range: s.range, body: [] });
  const resolve = (t: TransitionIr): PTransition => {
    switch (t.kind) {
      case 'goto': {
        const state = states.get(t.state);
        return state ? { kind: 'goto', state, range: t.range } : { kind: 'missing', state: t.state, range: t.range };
      }
      case 'continue':
        return t;
      case 'end':
        return t;
      case 'bounded':
        return { kind: 'bounded', counter: t.counter, max: t.max, then: resolve(t.then), else: resolve(t.else), range: t.range };
    }
  };
  for (const [name, s] of Object.entries(ir.states)) {
    const target = states.get(name);
    if (target) target.body = prepareBody(s, resolve);
  }
  return { ir, states, transition: resolve };
}

function prepareBody(s: StateIr, resolve: (t: TransitionIr) => PTransition): PStatement[] {
  return s.body.map((st): PStatement => {
    switch (st.op) {
      case 'step': {
        const decl = getStep(st.step);
        const args = Object.entries(st.args).map(([k, e]) => [k, compileExpr(e)] as const);
        const defaults = (decl?.args ?? [])
          .filter((a) => a.default !== undefined && !(a.name in st.args))
          .map((a) => [a.name, a.default] as const);
        const outcomes: Record<string, PTransition> = {};
        for (const [o, t] of Object.entries(st.outcomes)) outcomes[o] = resolve(t);
        return { op: 'step', ir: st, decl, args, defaults, outcomes, into: st.into === undefined ? undefined : st.into.split('.') };
      }
      case 'set':
        return { op: 'set', ir: st, value: compileExpr(st.value), name: st.target.join('.') };
      case 'if':
        return { op: 'if', ir: st, cond: compileExpr(st.cond), then: resolve(st.then), else: resolve(st.else) };
      case 'switch':
        return {
          op: 'switch',
          ir: st,
          subject: compileExpr(st.subject),
          cases: st.cases.map((c) => ({ values: c.values.map(compileExpr), to: resolve(c.to) })),
          default: resolve(st.default),
        };
      case 'goto':
        return { op: 'goto', ir: st, to: resolve(st.to) };
    }
  });
}
