/** Lowering of entries (`on call`, `on http`, `on start`) and config declarations. */
import type { ConfigDeclAst, EntryAst, FieldAst } from '../language/ast.js';
import type { EntryIr, FieldIr, FlowIr, TransitionIr } from './ir.js';
import { Code } from './codes.js';
import { plainText } from './expr-type.js';
import type { Reporter } from './report.js';
import { didYouMean } from './suggest.js';

/** HTTP methods an entry may use. */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** Authentication schemes the server implements (src/server/http/auth.ts). */
export const AUTH_SCHEMES = ['basic', 'bearer', 'any', 'none'] as const;

type LowerTransition = (t: EntryAst['transition'], counter: string) => TransitionIr;

function fields(list: readonly FieldAst[], what: string, r: Reporter): FieldIr[] {
  const seen = new Map<string, FieldAst>();
  const out: FieldIr[] = [];
  for (const f of list) {
    const prev = seen.get(f.name.name);
    if (prev) {
      r.error(Code.duplicateField, `${what} '${f.name.name}' is declared twice`, f.name.range, {
        related: [{ message: 'first declared here', range: prev.name.range }],
      });
      continue;
    }
    seen.set(f.name.name, f);
    const ir: FieldIr = { name: f.name.name, type: f.type, optional: f.optional };
    if (f.default) ir.default = f.default;
    if (f.doc !== undefined) ir.doc = f.doc;
    out.push(ir);
  }
  return out;
}

/** Lower every entry; ids are `call`, `call-2`..., `METHOD /path`, `start`. */
export function lowerEntries(entries: readonly EntryAst[], lower: LowerTransition, r: Reporter): EntryIr[] {
  const out: EntryIr[] = [];
  let calls = 0;
  let starts = 0;
  let firstStart: EntryAst | undefined;
  for (const e of entries) {
    switch (e.kind) {
      case 'call': {
        calls++;
        const id = calls === 1 ? 'call' : `call-${calls}`;
        const matchers: Extract<EntryIr, { kind: 'call' }>['matchers'] = [];
        for (const m of e.matchers) {
          const text = m.pattern.kind === 'number' ? String(m.pattern.value) : plainText(m.pattern);
          if (text === undefined)
            r.error(
              Code.badCallPattern,
              `the '${m.field}' pattern must be a plain string such as "+15550100" or "sales_*"`,
              m.pattern.range,
            );
          else matchers.push({ field: m.field, pattern: text });
        }
        out.push({ kind: 'call', id, matchers, to: lower(e.transition, `${id}:entry`), range: e.range });
        break;
      }
      case 'http': {
        const method = e.method.name;
        if (!(HTTP_METHODS as readonly string[]).includes(method)) {
          const upper = method.toUpperCase();
          const advice = (HTTP_METHODS as readonly string[]).includes(upper)
            ? ` (write it in capitals: '${upper}')`
            : didYouMean(upper, HTTP_METHODS);
          r.error(
            Code.badHttpMethod,
            `unknown HTTP method '${method}': use ${HTTP_METHODS.join(', ')}${advice}`,
            e.method.range,
          );
        }
        const path = e.path.value;
        if (!path.startsWith('/') || path.includes('//') || /\/:(\/|$)/.test(path)) {
          r.error(
            Code.badHttpPath,
            `the path '${path}' must start with '/', have no empty segments, and name each ':parameter'`,
            e.path.range,
          );
        }
        const id = `${method} ${path}`;
        const ir: EntryIr = {
          kind: 'http',
          id,
          method,
          path,
          request: fields(e.request, 'request field', r),
          to: lower(e.transition, `${id}:entry`),
          range: e.range,
        };
        if (e.auth) {
          const scheme = e.auth.scheme.name;
          if (!(AUTH_SCHEMES as readonly string[]).includes(scheme)) {
            r.error(
              Code.badAuthScheme,
              `unknown auth scheme '${scheme}': use ${AUTH_SCHEMES.join(', ')}${didYouMean(scheme, AUTH_SCHEMES)}`,
              e.auth.scheme.range,
            );
          }
          ir.auth = { scheme, args: Object.fromEntries(e.auth.args.map((a) => [a.name.name, a.value])) };
        }
        if (e.invalid) ir.invalid = lower(e.invalid, `${id}:invalid`);
        if (e.doc !== undefined) ir.doc = e.doc;
        out.push(ir);
        break;
      }
      case 'start': {
        starts++;
        const id = starts === 1 ? 'start' : `start-${starts}`;
        if (firstStart) {
          r.error(Code.duplicateStart, "a flow has at most one 'on start' entry", e.range, {
            related: [{ message: 'the first one', range: firstStart.range }],
          });
        } else firstStart = e;
        out.push({
          kind: 'start',
          id,
          params: fields(e.params, 'parameter', r),
          to: lower(e.transition, `${id}:entry`),
          range: e.range,
        });
        break;
      }
    }
  }
  return out;
}

/** Lower config declarations (a duplicate keeps the first). */
export function lowerConfigs(configs: readonly ConfigDeclAst[], r: Reporter): FlowIr['configs'] {
  const seen = new Map<string, ConfigDeclAst>();
  const out: FlowIr['configs'] = [];
  for (const c of configs) {
    const prev = seen.get(c.name.name);
    if (prev) {
      r.error(Code.duplicateConfig, `config '${c.name.name}' is declared twice`, c.name.range, {
        related: [{ message: 'first declared here', range: prev.name.range }],
      });
      continue;
    }
    seen.set(c.name.name, c);
    const ir: FlowIr['configs'][number] = { name: c.name.name };
    if (c.default) ir.default = c.default;
    if (c.doc !== undefined) ir.doc = c.doc;
    out.push(ir);
  }
  return out;
}
