/**
 * AST → IR. Lowering never stops at a problem: it reports it and goes on, so one compile shows every error.
 * Every IR node keeps the range it came from; goto ranges point at the target name.
 */
import { createHash } from 'node:crypto';
import { END_TARGET } from '../catalog/index.js';
import type { FlowAst, StateAst, StatementAst, TransitionAst } from '../language/ast.js';
import type { SourceRange } from '../language/diagnostics.js';
import { Code } from './codes.js';
import { checkExpr } from './exprs.js';
import { IR_VERSION, type FlowIr, type StateIr, type StatementIr, type TransitionIr } from './ir.js';
import { lowerConfigs, lowerEntries } from './lower-entries.js';
import { lowerStep } from './lower-step.js';
import type { Reporter } from './report.js';
import { didYouMean } from './suggest.js';

const CONTINUE: TransitionIr = { kind: 'continue' };

/** What the checks need beyond the IR: where each state's name was written. */
export interface LowerInfo {
  stateNames: ReadonlyMap<string, SourceRange>;
}

/** A content hash of the source: the flow's version identity. */
export function hashSource(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

class Lowering {
  readonly states = new Map<string, StateAst>();
  readonly configs: Set<string>;

  constructor(
    readonly ast: FlowAst,
    readonly r: Reporter,
  ) {
    this.configs = new Set(ast.configs.map((c) => c.name.name));
    for (const s of ast.states) {
      const name = s.name.name;
      const prev = this.states.get(name);
      if (name === END_TARGET)
        r.error(
          Code.reservedState,
          `'${END_TARGET}' is reserved (\`-> end\` ends the session); choose another state name`,
          s.name.range,
        );
      else if (name === '__proto__')
        r.error(Code.reservedState, `'${name}' cannot be a state name`, s.name.range);
      else if (prev)
        r.error(Code.duplicateState, `state '${name}' is defined twice`, s.name.range, {
          related: [{ message: 'first defined here', range: prev.name.range }],
        });
      else this.states.set(name, s);
    }
  }

  transition = (t: TransitionAst, counter: string): TransitionIr => {
    const name = t.target.name;
    let base: TransitionIr;
    if (name === END_TARGET) base = { kind: 'end', range: t.target.range };
    else {
      if (name !== '' && !this.states.has(name)) {
        reportUnknownState(this.r, name, t.target.range, this.states.keys());
      }
      base = { kind: 'goto', state: name, range: t.target.range };
    }
    if (!t.max) return base;
    const otherwise = t.else ? this.transition(t.else, `${counter}.else`) : CONTINUE;
    return { kind: 'bounded', counter, max: t.max.value, then: base, else: otherwise, range: t.range };
  };

  statement(st: StatementAst, id: string): StatementIr {
    switch (st.kind) {
      case 'step':
        for (const a of st.args) checkExpr(a.value, this.configs, this.r);
        return lowerStep(st, id, this.transition, this.r);
      case 'set':
        checkExpr(st.value, this.configs, this.r);
        return { op: 'set', id, target: st.target.map((t) => t.name), value: st.value, range: st.range };
      case 'if':
        checkExpr(st.cond, this.configs, this.r);
        return {
          op: 'if',
          id,
          cond: st.cond,
          then: this.transition(st.then, `${id}:then`),
          else: st.else ? this.transition(st.else, `${id}:else`) : CONTINUE,
          range: st.range,
        };
      case 'switch':
        checkExpr(st.subject, this.configs, this.r);
        for (const c of st.cases) for (const v of c.values) checkExpr(v, this.configs, this.r);
        return {
          op: 'switch',
          id,
          subject: st.subject,
          cases: st.cases.map((c, i) => ({
            values: c.values,
            to: this.transition(c.transition, `${id}:case${i + 1}`),
          })),
          default: st.default ? this.transition(st.default, `${id}:default`) : CONTINUE,
          range: st.range,
        };
      case 'goto':
        return { op: 'goto', id, to: this.transition(st.transition, `${id}:goto`), range: st.range };
    }
  }

  flow(sourceHash: string): FlowIr {
    const { ast } = this;
    const states: Record<string, StateIr> = {};
    for (const [name, s] of this.states) {
      states[name] = {
        name,
        body: s.body.map((st, i) => this.statement(st, `${name}/${i}`)),
        range: s.range,
      };
    }
    for (const c of ast.configs) if (c.default) checkExpr(c.default, this.configs, this.r);
    const ir: FlowIr = {
      irVersion: IR_VERSION,
      name: ast.name.name,
      file: ast.file,
      sourceHash,
      configs: lowerConfigs(ast.configs, this.r),
      entries: lowerEntries(ast.entries, this.transition, this.r),
      states,
    };
    if (ast.description !== undefined) ir.description = ast.description;
    return ir;
  }
}

function reportUnknownState(r: Reporter, name: string, range: SourceRange, states: Iterable<string>): void {
  r.error(Code.unknownState, `unknown state '${name}'${didYouMean(name, states)}`, range);
}

/** Lower a flow AST to IR, reporting problems found on the way. The IR is partial when errors were reported. */
export function lowerFlow(ast: FlowAst, r: Reporter, sourceHash: string): { ir: FlowIr; info: LowerInfo } {
  const l = new Lowering(ast, r);
  const ir = l.flow(sourceHash);
  const stateNames = new Map<string, SourceRange>();
  for (const [name, s] of l.states) stateNames.set(name, s.name.range);
  return { ir, info: { stateNames } };
}
