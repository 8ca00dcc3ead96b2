/**
 * Checks across flows: HTTP routes that two entries would both serve (same method, same path shape), and
 * `originate flow "x"` naming a flow that does not exist or has no `on start` entry.
 */
import type { FlowAst, HttpEntryAst } from '../language/ast.js';
import type { Diagnostic, SourceRange } from '../language/diagnostics.js';
import { Code } from './codes.js';
import { plainText } from './expr-type.js';

/** What the batch checks need from one compiled file. */
export interface BatchItem {
  ast?: FlowAst;
  diagnostics: Diagnostic[];
}

/** A route's shape: parameter names do not matter (`/a/:id` and `/a/:key` are the same route). */
export function routeKey(method: string, path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return `${method.toUpperCase()} ${trimmed
    .split('/')
    .map((seg) => (seg.startsWith(':') ? ':' : seg))
    .join('/')}`;
}

function where(r: SourceRange): string {
  return `${r.file}:${r.start.line + 1}:${r.start.character + 1}`;
}

/**
 * Report HTTP entries whose route an earlier entry already serves. `crossOnly`: only conflicts between
 * different items (conflicts inside one file were reported when it was compiled).
 */
export function checkRoutes(items: readonly BatchItem[], crossOnly = false): void {
  const first = new Map<string, { entry: HttpEntryAst; flow: string; item: BatchItem }>();
  for (const item of items) {
    if (!item.ast) continue;
    for (const e of item.ast.entries) {
      if (e.kind !== 'http') continue;
      const key = routeKey(e.method.name, e.path.value);
      const prev = first.get(key);
      if (!prev) {
        first.set(key, { entry: e, flow: item.ast.name.name, item });
        continue;
      }
      if (crossOnly && prev.item === item) continue;
      const other = prev.item === item ? 'another entry of this flow' : `flow '${prev.flow}'`;
      item.diagnostics.push({
        code: Code.routeConflict,
        severity: 'error',
        message: `${e.method.name} ${e.path.value} conflicts with ${prev.entry.method.name} ${prev.entry.path.value} of ${other} (${where(prev.entry.range)})`,
        range: e.path.range,
        related: [{ message: 'the route already served', range: prev.entry.path.range }],
      });
    }
  }
}

/**
 * Check `originate` targets. `strict`: the batch plus `known` is every flow there is, so an unknown name is an
 * error; otherwise (a partial reload) it is a warning.
 */
export function checkFlowRefs(
  items: readonly BatchItem[],
  known: ReadonlySet<string>,
  strict: boolean,
): void {
  const starts = new Map<string, boolean>();
  for (const item of items)
    if (item.ast)
      starts.set(
        item.ast.name.name,
        item.ast.entries.some((e) => e.kind === 'start'),
      );
  const names = new Set([...known, ...starts.keys()]);
  for (const item of items) {
    const ast = item.ast;
    if (!ast) continue;
    for (const s of ast.states) {
      for (const st of s.body) {
        if (st.kind !== 'step' || st.name.name !== 'originate') continue;
        const arg = st.args.find((a) => a.name.name === 'flow');
        const target = arg ? plainText(arg.value) : ast.name.name;
        if (target === undefined) continue;
        const range = arg?.value.range ?? st.name.range;
        if (!names.has(target)) {
          item.diagnostics.push({
            code: Code.unknownFlow,
            severity: strict ? 'error' : 'warning',
            message: `no flow named '${target}' is loaded`,
            range,
          });
        } else if (starts.get(target) === false) {
          const whose =
            target === ast.name.name
              ? "this flow has no 'on start' entry"
              : `flow '${target}' has no 'on start' entry`;
          item.diagnostics.push({
            code: Code.unknownFlow,
            severity: 'error',
            message: `originate runs the 'on start' entry of the flow on the new call, but ${whose}`,
            range,
          });
        }
      }
    }
  }
}
