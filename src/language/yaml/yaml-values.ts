/**
 * YAML scalars, maps and lists as flow expressions, transitions and types.
 *
 * Two readings, chosen by position (see docs/yaml-flows.md):
 * - value positions (step arguments, defaults, call patterns): YAML's own types; a string is text with `${...}`
 *   interpolation; an unquoted `10s` is a duration; an unquoted value that is exactly `${expr}` is that expression.
 * - expression positions (`set`, `if`, `switch`, `case`): an unquoted scalar is parsed as an expression
 *   (`count + 1`, `room.channel == ""`); a quoted one is text.
 * Anywhere, a scalar tagged `!expr` is parsed as an expression.
 */
import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import type { Expr, StringExpr, TransitionAst, TypeAst } from '../ast.js';
import type { SourceRange } from '../diagnostics.js';
import { parseExpressionAt, parseTransitionAt, parseTypeAt } from '../parse-flow.js';
import { durationMs } from '../parser-expr.js';
import { splitTemplate } from '../strings.js';
import { HARD_KEYWORD_WORDS } from '../tokens.js';
import { YamlCode } from './codes.js';
import { valueText, type YamlContext, type YNode } from './yaml-context.js';

/** The tag that marks a scalar as an expression in any position. */
export const EXPR_TAG = '!expr';

/** A duration as YAML writes it unquoted: `10s`, `500ms`, `1m30s`, `-2s`. */
export const DURATION_TEXT = /^-?(?:\d+(?:\.\d+)?(?:ms|h|m|s))+$/;

/** The duration expression for text matching DURATION_TEXT (same value as the `.flow` parser gives). */
export function durationExpr(text: string, range: SourceRange): Expr {
  const ms = durationMs(text);
  return { kind: 'duration', ms: text.startsWith('-') ? -ms : ms, text, range };
}

/** Offset in the file where the scalar's content starts, when content and source line up exactly. */
function contentStart(ctx: YamlContext, s: Scalar, content: string): number | undefined {
  const r = s.range;
  if (!r) return undefined;
  const start =
    s.type === 'PLAIN' ? r[0] : s.type === 'QUOTE_DOUBLE' || s.type === 'QUOTE_SINGLE' ? r[0] + 1 : undefined;
  return start !== undefined && ctx.text.startsWith(content, start) ? start : undefined;
}

const IDENT = '[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z][A-Za-z0-9_]*)*';
const SIMPLE_PATH = new RegExp(`^${IDENT}(?:\\.${IDENT})*$`);
const SIMPLE_NAME = new RegExp(`^${IDENT}$`);

/**
 * `name` or `a.b.c` built directly, with the ranges the parser would give: most YAML expressions are such
 * paths, and skipping the lexer and parser for them halves the cost of reading a large flow.
 */
function simplePath(ctx: YamlContext, source: string, offset: number): Expr | undefined {
  if (!SIMPLE_PATH.test(source)) return undefined;
  const names = source.split('.');
  const first = names[0]!;
  if (HARD_KEYWORD_WORDS.has(first)) return undefined;
  let e: Expr = { kind: 'var', name: first, range: ctx.span(offset, offset + first.length) };
  let at = offset + first.length;
  for (const n of names.slice(1)) {
    at += 1 + n.length;
    e = { kind: 'member', object: e, name: n, range: ctx.span(offset, at) };
  }
  return e;
}

/** Parse expression source found at `offset` in the file. */
export function parseExprAt(ctx: YamlContext, source: string, offset: number, range: SourceRange): Expr {
  const fast = simplePath(ctx, source, offset);
  if (fast) return fast;
  const r = parseExpressionAt(source, ctx.file, ctx.base(offset));
  ctx.diags.push(...r.diagnostics);
  return r.ast ?? { kind: 'null', range };
}

/** A string with `${...}` interpolations; with `whole`, a string that is exactly `${expr}` is that expression. */
export function templateExpr(ctx: YamlContext, s: Scalar, content: string, whole: boolean): Expr {
  const range = ctx.range(s);
  if (!content.includes('${')) return { kind: 'string', parts: [content], range } satisfies StringExpr;
  const start = contentStart(ctx, s, content);
  const at = (o: number): number => (start !== undefined ? start + o : (s.range?.[0] ?? 0));
  const split = splitTemplate(content, 'yaml');
  for (const p of split.problems)
    ctx.report(p.code, p.message, ctx.span(at(p.offset), at(p.offset + p.length)));
  const parts = split.parts.map((p) =>
    'text' in p ? p.text : parseExprAt(ctx, p.expr, at(p.offset), range),
  );
  const only = split.parts[0];
  if (
    whole &&
    split.parts.length === 1 &&
    only &&
    'expr' in only &&
    only.offset === 2 &&
    only.expr.length + 3 === content.length
  ) {
    return parts[0] as Expr;
  }
  return { kind: 'string', parts, range };
}

/** The text of a scalar to parse as source (plain scalars as written, others by value), and where it starts. */
function scalarSource(ctx: YamlContext, s: Scalar): { text: string; offset: number } {
  if (s.type === 'PLAIN') return { text: ctx.source(s), offset: s.range?.[0] ?? 0 };
  const text = valueText(s.value);
  return { text, offset: contentStart(ctx, s, text) ?? s.range?.[0] ?? 0 };
}

function tagged(ctx: YamlContext, s: Scalar): Expr {
  const { text, offset } = scalarSource(ctx, s);
  return parseExprAt(ctx, text, offset, ctx.range(s));
}

/** A value position: YAML types, text with interpolation, unquoted durations, unquoted `${expr}`. */
export function valueExpr(ctx: YamlContext, n: YNode | undefined, at: SourceRange): Expr {
  if (n === undefined) return { kind: 'null', range: at };
  const range = ctx.range(n, at);
  if (isSeq(n))
    return { kind: 'array', items: ctx.seq(n, 'a list').map((i) => valueExpr(ctx, i, range)), range };
  if (isMap(n)) {
    const entries = ctx.map(n, 'an object').map((p) => ({
      key: p.key,
      keyRange: ctx.keyRange(p),
      value: valueExpr(ctx, p.value, ctx.keyRange(p)),
    }));
    return { kind: 'object', entries, range };
  }
  if (n.tag === EXPR_TAG) return tagged(ctx, n);
  const v: unknown = n.value;
  if (n.type !== 'PLAIN') return templateExpr(ctx, n, valueText(v), false);
  if (v === null || v === undefined) return { kind: 'null', range };
  if (typeof v === 'number') return { kind: 'number', value: v, range };
  if (typeof v === 'boolean') return { kind: 'bool', value: v, range };
  const text = valueText(v);
  if (DURATION_TEXT.test(text)) return durationExpr(text, range);
  return templateExpr(ctx, n, text, true);
}

/**
 * An expression position: unquoted scalars are expression source, quoted ones text, maps objects and lists
 * arrays (their members read the same way). `quotedWarning` names the construct when a quoted value is suspicious.
 */
export function exprValue(
  ctx: YamlContext,
  n: YNode | undefined,
  at: SourceRange,
  quotedWarning?: string,
): Expr {
  if (n === undefined) {
    ctx.report(YamlCode.missingKey, 'an expression is missing here', at);
    return { kind: 'null', range: at };
  }
  const range = ctx.range(n, at);
  if (isSeq(n))
    return { kind: 'array', items: ctx.seq(n, 'a list').map((i) => exprValue(ctx, i, range)), range };
  if (isMap(n)) {
    const entries = ctx.map(n, 'an object').map((p) => ({
      key: p.key,
      keyRange: ctx.keyRange(p),
      value: exprValue(ctx, p.value, ctx.keyRange(p)),
    }));
    return { kind: 'object', entries, range };
  }
  if (n.tag === EXPR_TAG) return tagged(ctx, n);
  if (n.type !== 'PLAIN') {
    if (quotedWarning !== undefined) {
      ctx.report(
        YamlCode.quotedCondition,
        `this ${quotedWarning} is quoted, so it is text, not an expression`,
        range,
        'remove the quotes, or write it as ${...}',
        'warning',
      );
    }
    const v: unknown = n.value;
    return templateExpr(ctx, n, valueText(v), false);
  }
  const source = ctx.source(n);
  const trimmed = source.trim();
  if (trimmed === '') {
    ctx.report(YamlCode.missingKey, 'an expression is missing here', range);
    return { kind: 'null', range };
  }
  if (trimmed === '~') return { kind: 'null', range };
  const start = n.range?.[0] ?? 0;
  if (trimmed.startsWith('${') && trimmed.endsWith('}')) {
    const split = splitTemplate(trimmed, 'yaml');
    const only = split.parts[0];
    if (split.parts.length === 1 && only && 'expr' in only && only.expr.length + 3 === trimmed.length) {
      return parseExprAt(ctx, only.expr, start + source.indexOf('${') + 2, range);
    }
  }
  return parseExprAt(ctx, source, start, range);
}

/** A transition: `target`, `-> target`, `ask max 3 else goodbye`, or a map `{to, max, else}`. */
export function transitionValue(
  ctx: YamlContext,
  n: YNode | undefined,
  what: string,
  at: SourceRange,
): TransitionAst | undefined {
  if (n === undefined || ctx.isEmpty(n)) {
    ctx.report(YamlCode.missingKey, `${what} needs a target state`, at);
    return undefined;
  }
  const range = ctx.range(n, at);
  if (isMap(n)) {
    const keys = ctx.keys(ctx.map(n, what), ['to', 'max', 'else'], what, { goto: 'to' });
    const to = keys.get('to');
    const target = to ? ctx.name(to.value, 'the target state', ctx.keyRange(to)) : undefined;
    if (!to) ctx.report(YamlCode.missingKey, `${what} needs 'to: state'`, range);
    const t: TransitionAst = { target: target ?? { name: '', range }, range };
    const max = keys.get('max');
    if (max) {
      const v = max.value && isScalar(max.value) ? max.value.value : undefined;
      const r = ctx.range(max.value, ctx.keyRange(max));
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
        ctx.report('CF2017', "'max' needs a whole number of times, at least 1", r);
      t.max = { value: typeof v === 'number' ? v : 1, range: r };
    }
    const otherwise = keys.get('else');
    if (otherwise) {
      if (!max)
        ctx.report(YamlCode.missingKey, "'else' only makes sense with 'max'", ctx.keyRange(otherwise));
      const e = transitionValue(ctx, otherwise.value, "'else'", ctx.keyRange(otherwise));
      if (e) t.else = e;
    }
    return t;
  }
  if (!isScalar(n) || (typeof n.value !== 'string' && n.type !== 'PLAIN')) {
    ctx.report(YamlCode.wrongKind, `${what} should be a state name`, range);
    return undefined;
  }
  const { text, offset } = scalarSource(ctx, n);
  if (SIMPLE_NAME.test(text) && !HARD_KEYWORD_WORDS.has(text)) {
    const at = ctx.span(offset, offset + text.length);
    return { target: { name: text, range: at }, range: at };
  }
  const r = parseTransitionAt(text, ctx.file, ctx.base(offset));
  ctx.diags.push(...r.diagnostics);
  return r.ast;
}

/** A field type: `string`, `string | number`, or a list whose quoted items are literals: `["in", "out"]`. */
export function typeValue(ctx: YamlContext, n: YNode | undefined, at: SourceRange): TypeAst | undefined {
  if (n === undefined || ctx.isEmpty(n)) {
    ctx.report(YamlCode.missingKey, 'a type is missing here', at);
    return undefined;
  }
  const range = ctx.range(n, at);
  if (isSeq(n)) {
    const types: TypeAst[] = [];
    for (const item of ctx.seq(n, 'a type list')) {
      if (isScalar(item) && item.type !== 'PLAIN' && item.tag !== EXPR_TAG) {
        types.push({ kind: 'literal', value: valueText(item.value), range: ctx.range(item) });
        continue;
      }
      const t = typeValue(ctx, item, range);
      if (t?.kind === 'union') types.push(...t.types);
      else if (t) types.push(t);
    }
    if (types.length === 0) {
      ctx.report(YamlCode.missingKey, 'a type list needs at least one type', range);
      return undefined;
    }
    return types.length === 1 ? types[0] : { kind: 'union', types, range };
  }
  if (!isScalar(n) || typeof n.value !== 'string') {
    ctx.report(YamlCode.wrongKind, 'a type should be text such as `string` or `string | number`', range);
    return undefined;
  }
  const { text, offset } = scalarSource(ctx, n);
  const r = parseTypeAt(text, ctx.file, ctx.base(offset));
  ctx.diags.push(...r.diagnostics);
  return r.ast;
}
