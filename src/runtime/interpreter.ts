/**
 * The interpreter core: a synchronous machine over a prepared flow. It runs `set`/`if`/`switch`/`goto` and
 * transitions until it reaches a catalog step (returned for the session to run) or the end of the session.
 * It performs no I/O and starts no timers: the session actor runs the step and feeds its outcome back
 * through `resume`, so the machine's behaviour is a pure function of the outcomes it is given.
 */
import type { SourceRange } from '../language/diagnostics.js';
import { EvalError, type EvalScope } from './eval.js';
import type { PState, PStatement, PStep, PTransition, PreparedFlow } from './prepare.js';
import { redact, type Trace } from './trace.js';
import { valueEquals } from './values.js';

/** How the machine asks the session to end. `completed`: an `end` transition or a terminal step. */
export interface EndOrder {
  end: true;
  cause: 'completed' | 'error';
  error?: string;
  range?: SourceRange;
}

/** What the session must do next: run a step (its evaluated arguments are in `machine.args`), or end. */
export type Next = PStep | EndOrder;

/** Limits the machine enforces. */
export interface MachineLimits {
  /** Transitions (gotos) per session before it is treated as a runaway loop. */
  maxTransitions: number;
  /** Emit `var.set` events (values redacted). */
  traceVars: boolean;
}

const COMPLETED: EndOrder = { end: true, cause: 'completed' };

/** An internal error the machine raises for a broken IR (unknown state) or a runaway loop. */
class MachineError extends Error {
  constructor(
    message: string,
    readonly range: SourceRange | undefined,
  ) {
    super(message);
  }
}

/** The interpreter state of one session. */
export class Machine {
  /** The state being run, and the index of the current statement in its body. */
  state: PState | undefined;
  index = 0;
  /** The step being run (between the Next returned and `resume`). */
  step: PStep | undefined;
  /** The running step's evaluated arguments (catalog defaults applied). */
  args: Record<string, unknown> = {};
  /** Bounded-transition counters (`max N`), per session. */
  readonly counters: Record<string, number> = Object.create(null) as Record<string, number>;
  transitions = 0;

  constructor(
    private readonly flow: PreparedFlow,
    readonly scope: EvalScope,
    private readonly trace: Trace,
    private readonly limits: MachineLimits,
  ) {}

  /** Start: take the entry's transition and run until the first step or the end. */
  start(t: PTransition, range?: SourceRange): Next {
    return this.guard(() => (this.take(t, range, 'entry') ? this.run() : COMPLETED));
  }

  /** Route a finished step's outcome and run on. */
  resume(outcome: string, value: unknown): Next {
    const step = this.step;
    if (!step) return { end: true, cause: 'error', error: 'resume without a running step' };
    this.step = undefined;
    const ir = step.ir;
    this.trace.add({ t: this.trace.now(), type: 'step.done', range: ir.range, step: ir.step, id: ir.id, outcome });
    return this.guard(() => {
      const v = value === undefined ? null : value;
      this.scope.vars.last = { step: ir.step, outcome, value: v };
      if (step.into) this.assign(step.into, v, ir.range);
      let t = step.outcomes[outcome];
      if (!t) {
        if (step.decl?.terminal) return COMPLETED;
        t = step.outcomes['*'];
        if (!t) throw new MachineError(`${ir.step} produced the outcome '${outcome}', which the flow does not route`, ir.range);
      }
      return this.take(t, ir.range, ir.id) ? this.run() : COMPLETED;
    });
  }

  /** The source range of the statement about to run or running (for traces). */
  currentRange(): SourceRange | undefined {
    return this.step?.ir.range ?? this.state?.body[this.index]?.ir.range ?? this.state?.range;
  }

  private guard(fn: () => Next): Next {
    try {
      return fn();
    } catch (err) {
      this.step = undefined;
      if (err instanceof EvalError || err instanceof MachineError) {
        const range = err.range ?? this.currentRange();
        this.trace.add({ t: this.trace.now(), type: 'error', range, message: err.message });
        return { end: true, cause: 'error', error: err.message, ...(range ? { range } : {}) };
      }
      const message = err instanceof Error ? err.message : String(err);
      const range = this.currentRange();
      this.trace.add({ t: this.trace.now(), type: 'error', range, message: `internal: ${message}` });
      return { end: true, cause: 'error', error: message, ...(range ? { range } : {}) };
    }
  }

  /** Run statements from the current position until a step must run. */
  private run(): Next {
    for (;;) {
      const state = this.state;
      if (!state) return COMPLETED;
      const st: PStatement | undefined = state.body[this.index];
      if (!st) throw new MachineError(`state '${state.name}' ended without a transition`, state.range);
      switch (st.op) {
        case 'step':
          this.args = this.evaluateArgs(st);
          this.step = st;
          this.trace.add({ t: this.trace.now(), type: 'step.start', range: st.ir.range, step: st.ir.step, id: st.ir.id, args: redact(this.args) });
          return st;
        case 'set':
          this.assign(st.ir.target, st.value(this.scope), st.ir.range);
          this.index++;
          break;
        case 'if':
          if (!this.take(st.cond(this.scope) ? st.then : st.else, st.ir.range, st.ir.id)) return COMPLETED;
          break;
        case 'switch': {
          const subject = st.subject(this.scope);
          let to = st.default;
          outer: for (const c of st.cases) {
            for (const v of c.values) {
              if (valueEquals(subject, v(this.scope))) {
                to = c.to;
                break outer;
              }
            }
          }
          if (!this.take(to, st.ir.range, st.ir.id)) return COMPLETED;
          break;
        }
        case 'goto':
          if (!this.take(st.to, st.ir.range, st.ir.id)) return COMPLETED;
          break;
      }
    }
  }

  /** Apply a transition; false when it ends the session. */
  private take(t: PTransition, range: SourceRange | undefined, from: string): boolean {
    switch (t.kind) {
      case 'continue':
        this.index++;
        return true;
      case 'end':
        this.trace.add({ t: this.trace.now(), type: 'transition', range: t.range ?? range, from, to: 'end' });
        this.state = undefined;
        return false;
      case 'goto':
        if (++this.transitions > this.limits.maxTransitions) {
          throw new MachineError(`more than ${this.limits.maxTransitions} transitions: a runaway loop?`, t.range);
        }
        this.trace.add({ t: this.trace.now(), type: 'transition', range: t.range, from, to: t.state.name });
        this.state = t.state;
        this.index = 0;
        this.trace.add({ t: this.trace.now(), type: 'state.enter', range: t.state.range, state: t.state.name });
        return true;
      case 'bounded': {
        const count = this.counters[t.counter] ?? 0;
        const within = count < t.max;
        if (within) this.counters[t.counter] = count + 1;
        this.trace.add({ t: this.trace.now(), type: 'bounded', range: t.range, counter: t.counter, count: within ? count + 1 : count, max: t.max, taken: within ? 'then' : 'else' });
        return this.take(within ? t.then : t.else, t.range, from);
      }
      case 'missing':
        throw new MachineError(`no state named '${t.state}'`, t.range);
    }
  }

  private evaluateArgs(st: PStep): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of st.defaults) out[k] = v;
    for (const [k, f] of st.args) out[k] = f(this.scope);
    return out;
  }

  /** `set a.b.c = v`: intermediate objects are created (or replaced when they are not objects). */
  private assign(path: readonly string[], value: unknown, range: SourceRange): void {
    const vars = this.scope.vars;
    const first = path[0];
    if (first === undefined) return;
    if (path.length === 1) vars[first] = value;
    else {
      let o = vars[first];
      if (typeof o !== 'object' || o === null || Array.isArray(o)) vars[first] = o = {};
      for (let i = 1; i < path.length - 1; i++) {
        const k = path[i] as string;
        const rec = o as Record<string, unknown>;
        let next = Object.prototype.hasOwnProperty.call(rec, k) ? rec[k] : undefined;
        if (typeof next !== 'object' || next === null || Array.isArray(next)) setOwn(rec, k, (next = {}));
        o = next;
      }
      setOwn(o as Record<string, unknown>, path[path.length - 1] as string, value);
    }
    if (this.limits.traceVars) this.trace.add({ t: this.trace.now(), type: 'var.set', range, name: path.join('.'), value: redact(value) });
  }
}

/** Assign an own property, even one named `__proto__` (which plain assignment would treat as the prototype). */
function setOwn(o: Record<string, unknown>, k: string, value: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });
  else o[k] = value;
}
