/**
 * The YAML printer: a flow AST as the YAML shape read by src/language/yaml/ (documented in docs/yaml-flows.md).
 * Scalar styles carry meaning there, so each value is rendered for its position: value positions use YAML types
 * and text, expression positions unquoted expression source, and `!expr` when neither can be written.
 */
import type {
  ArgAst,
  ConfigDeclAst,
  EntryAst,
  Expr,
  FieldAst,
  FlowAst,
  StatementAst,
  StepAst,
  TransitionAst,
  TypeAst,
} from '../ast.js';
import { argDecl, enumValues, stepDecl } from '../step-args.js';
import { DURATION_TEXT } from '../yaml/yaml-values.js';
import { printExpr, printNumber } from './print-expr.js';
import { doubleQuoted, emitYaml, plainScalar, textScalar, type YOut } from './yaml-emit.js';

const EMPTY: YOut = { t: 'scalar', text: '', flow: undefined };

/** String content as the YAML reading expects it: literal `${` escaped, interpolations as `${expr}`. */
function template(parts: ReadonlyArray<string | Expr>): string {
  return parts
    .map((p) => (typeof p === 'string' ? p.replace(/\$\{/g, '\\${') : `\${${printExpr(p)}}`))
    .join('');
}

/** An expression that YAML must hand back as expression source: plain, or `${...}`, or tagged `!expr`. */
function exprSource(text: string, allowBare: boolean): YOut {
  const bare = allowBare ? plainScalar(text) : undefined;
  if (bare) return bare;
  const wrapped = plainScalar(`\${${text}}`);
  if (wrapped) return wrapped;
  const tagged = `!expr ${doubleQuoted(text)}`;
  return { t: 'scalar', text: tagged, flow: tagged };
}

function yamlNumber(n: number): string {
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  return printNumber(n);
}

/** A value position (step arguments, defaults, call patterns). */
export function valueOut(e: Expr): YOut {
  switch (e.kind) {
    case 'string': {
      const content = template(e.parts);
      const whole = e.parts.length === 1 && typeof e.parts[0] !== 'string';
      return textScalar(content, !whole && !DURATION_TEXT.test(content));
    }
    case 'number':
      return plainScalar(yamlNumber(e.value)) ?? exprSource(printExpr(e), false);
    case 'bool':
    case 'null':
      return plainScalar(printExpr(e))!;
    case 'duration':
      return (
        (DURATION_TEXT.test(e.text) ? plainScalar(e.text) : undefined) ?? exprSource(printExpr(e), false)
      );
    case 'object':
      return { t: 'map', entries: e.entries.map((en) => [en.key, valueOut(en.value)]), inline: true };
    case 'array':
      return { t: 'seq', items: e.items.map(valueOut), inline: true };
    case 'var':
    case 'member':
    case 'index':
    case 'call':
    case 'unary':
    case 'binary':
      return exprSource(printExpr(e), false);
  }
}

/** An expression position (`set`, `if`, `switch`, `case`). */
export function exprOut(e: Expr): YOut {
  switch (e.kind) {
    case 'string':
      return textScalar(template(e.parts), false);
    case 'object':
      return { t: 'map', entries: e.entries.map((en) => [en.key, exprOut(en.value)]), inline: true };
    case 'array':
      return { t: 'seq', items: e.items.map(exprOut), inline: true };
    case 'number':
    case 'duration':
    case 'bool':
    case 'null':
    case 'var':
    case 'member':
    case 'index':
    case 'call':
    case 'unary':
    case 'binary':
      return exprSource(printExpr(e), true);
  }
}

/** `target [max N [else ...]]`, as the YAML reading of transitions accepts it. */
export function transitionText(t: TransitionAst): string {
  let s = t.target.name;
  if (t.max) {
    s += ` max ${t.max.value}`;
    if (t.else) s += ` else ${transitionText(t.else)}`;
  }
  return s;
}

function transitionOut(t: TransitionAst): YOut {
  return textScalar(transitionText(t));
}

function typeOut(t: TypeAst): YOut {
  if (t.kind === 'base') return textScalar(t.name);
  const members = t.kind === 'union' ? t.types : [t];
  const items = members.map((m): YOut => (m.kind === 'literal' ? textScalar(m.value, false) : typeOut(m)));
  return { t: 'seq', items, inline: true };
}

function fieldOut(f: FieldAst): YOut {
  if (f.default === undefined && f.doc === undefined) return typeOut(f.type);
  const entries: Array<[string, YOut]> = [['type', typeOut(f.type)]];
  if (f.default) entries.push(['default', valueOut(f.default)]);
  if (f.doc !== undefined) entries.push(['doc', textScalar(f.doc)]);
  return { t: 'map', entries, inline: true };
}

function fields(fs: readonly FieldAst[]): YOut {
  return { t: 'map', entries: fs.map((f) => [`${f.name.name}${f.optional ? '?' : ''}`, fieldOut(f)]) };
}

function configOut(c: ConfigDeclAst): YOut {
  const simple =
    c.doc === undefined &&
    (c.default === undefined || (c.default.kind !== 'null' && c.default.kind !== 'object'));
  if (simple) return c.default ? valueOut(c.default) : EMPTY;
  const entries: Array<[string, YOut]> = [];
  if (c.default) entries.push(['default', valueOut(c.default)]);
  if (c.doc !== undefined) entries.push(['doc', textScalar(c.doc)]);
  return { t: 'map', entries };
}

function entryOut(e: EntryAst): YOut {
  const entries: Array<[string, YOut]> = [];
  if (e.kind === 'call') {
    entries.push([
      'call',
      { t: 'map', entries: e.matchers.map((m) => [m.field, valueOut(m.pattern)]), inline: true },
    ]);
  } else if (e.kind === 'start') {
    entries.push(['start', fields(e.params)]);
  } else {
    entries.push(['http', textScalar(`${e.method.name} ${e.path.value}`)]);
    if (e.doc !== undefined) entries.push(['doc', textScalar(e.doc)]);
    if (e.auth) {
      const a = e.auth;
      const auth: YOut =
        a.args.length === 0
          ? textScalar(a.scheme.name)
          : {
              t: 'map',
              entries: [
                ['scheme', textScalar(a.scheme.name)],
                ...a.args.map((x): [string, YOut] => [x.name.name, valueOut(x.value)]),
              ],
              inline: true,
            };
      entries.push(['auth', auth]);
    }
    if (e.request.length > 0) entries.push(['request', fields(e.request)]);
    if (e.invalid) entries.push(['invalid', transitionOut(e.invalid)]);
  }
  entries.push(['goto', transitionOut(e.transition)]);
  return { t: 'map', entries };
}

/** An argument value; a numeric enum word (`sample-rate: 16000`) goes unquoted, as the reader turns it back into text. */
function argOut(step: string, a: ArgAst): YOut {
  const v = a.value;
  if (
    v.kind === 'string' &&
    v.parts.length === 1 &&
    typeof v.parts[0] === 'string' &&
    /^[1-9][0-9]*$/.test(v.parts[0])
  ) {
    if (enumValues(argDecl(stepDecl(step), a.name.name)?.type).includes(v.parts[0]))
      return plainScalar(v.parts[0]) ?? valueOut(v);
  }
  return valueOut(v);
}

function argsOut(step: string, args: readonly ArgAst[]): YOut {
  const only = args[0];
  if (args.length === 1 && only?.positional && only.value.kind !== 'object') return argOut(step, only);
  return { t: 'map', entries: args.map((a) => [a.name.name, argOut(step, a)]), inline: true };
}

function stepOut(s: StepAst): YOut {
  if (s.args.length === 0 && !s.into && s.outcomes.length === 0) return textScalar(s.name.name);
  const entries: Array<[string, YOut]> = [[s.name.name, argsOut(s.name.name, s.args)]];
  if (s.into) entries.push(['into', textScalar(s.into.name)]);
  if (s.outcomes.length > 0) {
    entries.push([
      'on',
      {
        t: 'map',
        entries: s.outcomes.map((o) => [
          o.outcome.name === '*' ? 'other' : o.outcome.name,
          transitionOut(o.transition),
        ]),
      },
    ]);
  }
  return { t: 'map', entries };
}

function statementOut(s: StatementAst): YOut {
  switch (s.kind) {
    case 'step':
      return stepOut(s);
    case 'set':
      return {
        t: 'map',
        entries: [
          [
            'set',
            { t: 'map', entries: [[s.target.map((x) => x.name).join('.'), exprOut(s.value)]], inline: true },
          ],
        ],
      };
    case 'goto':
      return s.arrow
        ? textScalar(`-> ${transitionText(s.transition)}`)
        : { t: 'map', entries: [['goto', transitionOut(s.transition)]] };
    case 'if': {
      const entries: Array<[string, YOut]> = [
        ['if', exprOut(s.cond)],
        ['then', transitionOut(s.then)],
      ];
      if (s.else) entries.push(['else', transitionOut(s.else)]);
      return { t: 'map', entries };
    }
    case 'switch': {
      const cases: YOut[] = s.cases.map((c) => {
        const one =
          c.values.length === 1 && c.values[0]!.kind !== 'array' ? exprOut(c.values[0]!) : undefined;
        const values: YOut = one ?? { t: 'seq', items: c.values.map(exprOut), inline: true };
        return {
          t: 'map',
          entries: [
            ['case', values],
            ['goto', transitionOut(c.transition)],
          ],
        };
      });
      const entries: Array<[string, YOut]> = [
        ['switch', exprOut(s.subject)],
        ['cases', { t: 'seq', items: cases }],
      ];
      if (s.default) entries.push(['default', transitionOut(s.default)]);
      return { t: 'map', entries };
    }
  }
}

/** Print a flow as YAML. */
export function printYaml(ast: FlowAst): string {
  const top: Array<[string, YOut]> = [['flow', textScalar(ast.name.name)]];
  if (ast.description !== undefined) top.push(['description', textScalar(ast.description)]);
  if (ast.configs.length > 0)
    top.push(['config', { t: 'map', entries: ast.configs.map((c) => [c.name.name, configOut(c)]) }]);
  if (ast.entries.length > 0) top.push(['on', { t: 'seq', items: ast.entries.map(entryOut) }]);
  top.push([
    'states',
    {
      t: 'map',
      entries: ast.states.map((s) => [s.name.name, { t: 'seq', items: s.body.map(statementOut) }]),
    },
  ]);
  return emitYaml({ t: 'map', entries: top });
}
