/** The top of a YAML flow: `config` declarations and the `on` entries (call, http, start) with their fields. */
import { isMap, isScalar } from 'yaml';
import {
  CallMatchField,
  type ArgAst,
  type AuthAst,
  type CallEntryAst,
  type ConfigDeclAst,
  type EntryAst,
  type FieldAst,
  type HttpEntryAst,
  type StartEntryAst,
  type TransitionAst,
} from '../ast.js';
import type { SourceRange } from '../diagnostics.js';
import { YamlCode } from './codes.js';
import { didYouMean } from './suggest.js';
import type { YamlContext, YNode, YPair } from './yaml-context.js';
import { transitionValue, typeValue, valueExpr } from './yaml-values.js';

const MATCHERS: readonly string[] = Object.values(CallMatchField);
const ENTRY_KINDS = ['call', 'http', 'start'] as const;

/** `config:` — `name: default`, `name:` (no default) or `name: {default, doc}`. */
export function readConfigs(ctx: YamlContext, n: YNode | undefined): ConfigDeclAst[] {
  const out: ConfigDeclAst[] = [];
  for (const p of ctx.map(n, "'config'")) {
    const name = ctx.keyIdent(p);
    ctx.checkName(name, 'a config value');
    const decl: ConfigDeclAst = { name, range: ctx.pairRange(p) };
    if (p.value !== undefined && isMap(p.value)) {
      const keys = ctx.keys(
        ctx.map(p.value, 'a config declaration'),
        ['default', 'doc'],
        `config '${p.key}'`,
      );
      const def = keys.get('default');
      if (def) decl.default = valueExpr(ctx, def.value, ctx.keyRange(def));
      const doc = keys.get('doc');
      const text = doc ? ctx.str(doc.value, 'a doc string') : undefined;
      if (text !== undefined) decl.doc = text;
      if (keys.size === 0 && p.value.items.length > 0) {
        ctx.report(
          YamlCode.wrongKind,
          'a config value that is an object is written `default: {...}`',
          ctx.range(p.value),
        );
      }
    } else if (!ctx.isEmpty(p.value)) {
      decl.default = valueExpr(ctx, p.value, name.range);
    }
    out.push(decl);
  }
  return out;
}

/** Request fields or start parameters: `name: type`, `name?: type`, or `name: {type, default, doc}`. */
export function readFields(ctx: YamlContext, n: YNode | undefined, what: string, docs: boolean): FieldAst[] {
  const out: FieldAst[] = [];
  if (ctx.isEmpty(n)) return out;
  for (const p of ctx.map(n, what)) {
    const optional = p.key.endsWith('?');
    const keyRange = ctx.keyRange(p);
    const name = { name: optional ? p.key.slice(0, -1) : p.key, range: keyRange };
    ctx.checkName(name, 'a field');
    const range = ctx.pairRange(p);
    if (p.value !== undefined && isMap(p.value)) {
      const allowed = docs ? ['type', 'default', 'doc'] : ['type', 'default'];
      const keys = ctx.keys(ctx.map(p.value, 'a field'), allowed, `field '${name.name}'`);
      const typeKey = keys.get('type');
      const type = typeValue(ctx, typeKey?.value, typeKey ? ctx.keyRange(typeKey) : keyRange) ?? {
        kind: 'base',
        name: 'any',
        range: keyRange,
      };
      const f: FieldAst = { name, type, optional, range };
      const def = keys.get('default');
      if (def) f.default = valueExpr(ctx, def.value, ctx.keyRange(def));
      const doc = keys.get('doc');
      const text = doc ? ctx.str(doc.value, 'a doc string') : undefined;
      if (text !== undefined) f.doc = text;
      out.push(f);
      continue;
    }
    const type = typeValue(ctx, p.value, keyRange) ?? { kind: 'base', name: 'any', range: keyRange };
    out.push({ name, type, optional, range });
  }
  return out;
}

function target(ctx: YamlContext, keys: Map<string, YPair>, at: SourceRange): TransitionAst {
  const g = keys.get('goto');
  const t = g ? transitionValue(ctx, g.value, 'the entry', ctx.keyRange(g)) : undefined;
  if (!g)
    ctx.report(YamlCode.missingKey, "this entry has no 'goto: state'", at, 'add `goto: state` to the entry');
  return t ?? { target: { name: '', range: at }, range: at };
}

function callEntry(
  ctx: YamlContext,
  head: YPair,
  keys: Map<string, YPair>,
  range: SourceRange,
): CallEntryAst {
  const matchers: CallEntryAst['matchers'] = [];
  if (!ctx.isEmpty(head.value)) {
    for (const m of ctx.map(head.value, "'call'")) {
      if (!MATCHERS.includes(m.key)) {
        ctx.report(
          'CF2012',
          `unknown call matcher '${m.key}'${didYouMean(m.key, MATCHERS)}`,
          ctx.keyRange(m),
          `use ${MATCHERS.join(', ')}`,
        );
        continue;
      }
      matchers.push({
        field: m.key as CallMatchField,
        pattern: valueExpr(ctx, m.value, ctx.keyRange(m)),
        range: ctx.pairRange(m),
      });
    }
  }
  return { kind: 'call', matchers, transition: target(ctx, keys, range), range };
}

function auth(ctx: YamlContext, p: YPair): AuthAst | undefined {
  const range = ctx.range(p.value, ctx.keyRange(p));
  if (p.value !== undefined && isMap(p.value)) {
    const pairs = ctx.map(p.value, "'auth'");
    const schemePair = pairs.find((x) => x.key === 'scheme');
    if (!schemePair) ctx.report(YamlCode.missingKey, "'auth' needs 'scheme' (e.g. basic)", range);
    const scheme = schemePair
      ? ctx.name(schemePair.value, 'the auth scheme', ctx.keyRange(schemePair))
      : undefined;
    const args: ArgAst[] = pairs
      .filter((x) => x !== schemePair)
      .map((x) => {
        const name = ctx.keyIdent(x);
        ctx.checkName(name, 'an auth option');
        return { name, value: valueExpr(ctx, x.value, name.range), range: ctx.pairRange(x) };
      });
    return { scheme: scheme ?? { name: '', range }, args, range };
  }
  const scheme = ctx.name(p.value, 'the auth scheme', ctx.keyRange(p));
  return scheme ? { scheme, args: [], range } : undefined;
}

function httpEntry(
  ctx: YamlContext,
  head: YPair,
  keys: Map<string, YPair>,
  range: SourceRange,
): HttpEntryAst {
  const line = ctx.str(head.value, "'http'") ?? '';
  const valueRange = ctx.range(head.value, ctx.keyRange(head));
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s+(\/[^\s#"]*)\s*$/.exec(line);
  if (!m)
    ctx.report(YamlCode.badHttp, "'http' should be a method and a path, e.g. `POST /v1/calls`", valueRange);
  const start = head.value?.range?.[0] ?? 0;
  const exact = head.value !== undefined && isScalar(head.value) && head.value.type === 'PLAIN';
  const methodAt =
    exact && m
      ? ctx.span(start + line.indexOf(m[1]!), start + line.indexOf(m[1]!) + m[1]!.length)
      : valueRange;
  const pathAt =
    exact && m
      ? ctx.span(start + line.lastIndexOf(m[2]!), start + line.lastIndexOf(m[2]!) + m[2]!.length)
      : valueRange;
  const entry: HttpEntryAst = {
    kind: 'http',
    method: { name: m?.[1] ?? '', range: methodAt },
    path: { value: m?.[2] ?? '', range: pathAt },
    request: readFields(ctx, keys.get('request')?.value, "'request'", true),
    transition: target(ctx, keys, range),
    range,
  };
  const doc = keys.get('doc');
  const text = doc ? ctx.str(doc.value, 'a doc string') : undefined;
  if (text !== undefined) entry.doc = text;
  const a = keys.get('auth');
  const authAst = a ? auth(ctx, a) : undefined;
  if (authAst) entry.auth = authAst;
  const inv = keys.get('invalid');
  const invalid = inv ? transitionValue(ctx, inv.value, "'invalid'", ctx.keyRange(inv)) : undefined;
  if (invalid) entry.invalid = invalid;
  return entry;
}

const ALLOWED: Readonly<Record<(typeof ENTRY_KINDS)[number], readonly string[]>> = {
  call: ['call', 'goto'],
  http: ['http', 'doc', 'auth', 'request', 'invalid', 'goto'],
  start: ['start', 'goto'],
};

/** One item of `on:`. */
function readEntry(ctx: YamlContext, n: YNode): EntryAst | undefined {
  const range = ctx.range(n);
  const pairs = ctx.map(n, 'an entry');
  const head = pairs.find((p) => (ENTRY_KINDS as readonly string[]).includes(p.key));
  if (!head) {
    if (isMap(n))
      ctx.report(
        YamlCode.missingKey,
        'an entry starts with call, http or start',
        range,
        'e.g. `- call: {to: "+15550100"}` then `goto: welcome`',
      );
    return undefined;
  }
  const kind = head.key as (typeof ENTRY_KINDS)[number];
  const keys = ctx.keys(pairs, ALLOWED[kind], `an '${kind}' entry`, { to: 'goto', target: 'goto' });
  if (kind === 'call') return callEntry(ctx, head, keys, range);
  if (kind === 'http') return httpEntry(ctx, head, keys, range);
  const entry: StartEntryAst = {
    kind: 'start',
    params: readFields(ctx, head.value, "'start'", false),
    transition: target(ctx, keys, range),
    range,
  };
  return entry;
}

/** `on:` — a list of entries. */
export function readEntries(ctx: YamlContext, n: YNode | undefined): EntryAst[] {
  const out: EntryAst[] = [];
  for (const item of ctx.seq(n, "'on'")) {
    const e = readEntry(ctx, item);
    if (e) out.push(e);
  }
  return out;
}
