/**
 * The YAML front end: a `.yaml` / `.yml` flow into the same FlowAst the `.flow` parser builds, with ranges into
 * the YAML text. Uses the yaml package's parseDocument (with a LineCounter for positions); never throws.
 */
import { LineCounter, parseDocument, type ScalarTag } from 'yaml';
import type { FlowAst } from '../ast.js';
import type { Diagnostic } from '../diagnostics.js';
import { sortDiagnostics } from '../ranges.js';
import { YamlCode } from './codes.js';
import { YamlContext } from './yaml-context.js';
import { readConfigs, readEntries } from './yaml-entries.js';
import { readStates } from './yaml-states.js';
import { EXPR_TAG } from './yaml-values.js';

/** The keys of a YAML flow document, in the order `fmt` writes them. */
export const TOP_KEYS = ['flow', 'description', 'config', 'on', 'states'] as const;

const exprTag: ScalarTag = { tag: EXPR_TAG, resolve: (s: string) => s };

function fileName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.(flow|ya?ml)$/i, '') || 'flow';
}

function build(ctx: YamlContext, contents: unknown): FlowAst {
  const whole = ctx.span(0, ctx.text.length);
  const root = ctx.node(contents);
  const pairs = ctx.isEmpty(root) ? [] : ctx.map(root, 'a flow file');
  const keys = ctx.keys(pairs, TOP_KEYS, 'a flow file', {
    name: 'flow',
    entries: 'on',
    triggers: 'on',
    configs: 'config',
    state: 'states',
  });
  const flow = keys.get('flow');
  let name = flow ? ctx.name(flow.value, 'the flow name', ctx.keyRange(flow)) : undefined;
  if (!flow) {
    ctx.report(
      'CF2010',
      "a flow file starts with 'flow: <name>'",
      ctx.span(0, 0),
      'add a first line such as `flow: my-flow`',
    );
  }
  name ??= { name: fileName(ctx.file), range: ctx.span(0, 0) };
  const ast: FlowAst = {
    kind: 'flow',
    file: ctx.file,
    format: 'yaml',
    name,
    configs: readConfigs(ctx, keys.get('config')?.value),
    entries: readEntries(ctx, keys.get('on')?.value),
    states: readStates(ctx, keys.get('states')?.value),
    range: whole,
  };
  const desc = keys.get('description');
  const text = desc ? ctx.str(desc.value, 'the description') : undefined;
  if (text !== undefined) ast.description = text;
  return ast;
}

/** Parse a YAML flow. Never throws; with problems the AST holds whatever could be read. */
export function parseYamlFlow(file: string, text: string): { ast?: FlowAst; diagnostics: Diagnostic[] } {
  const lines = new LineCounter();
  let ctx: YamlContext | undefined;
  try {
    const doc = parseDocument(text, {
      lineCounter: lines,
      uniqueKeys: false,
      prettyErrors: false,
      customTags: [exprTag],
    });
    ctx = new YamlContext(file, text, lines, doc);
    for (const e of doc.errors) {
      const message = e.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '');
      const line = text.slice(
        text.lastIndexOf('\n', e.pos[0] - 1) + 1,
        text.indexOf('\n', e.pos[0]) === -1 ? undefined : text.indexOf('\n', e.pos[0]),
      );
      const hint =
        line.includes('${') && /[[{]/.test(line.replace(/\$\{/g, ''))
          ? 'an unquoted ${...} cannot go inside {...} or [...]: write that map or list in block style, one key or item per line'
          : undefined;
      ctx.report(YamlCode.syntax, message, ctx.span(e.pos[0], e.pos[1]), hint);
    }
    for (const w of doc.warnings)
      ctx.report(YamlCode.yamlWarning, w.message, ctx.span(w.pos[0], w.pos[1]), undefined, 'warning');
    const ast = build(ctx, doc.contents);
    return { ast, diagnostics: sortDiagnostics(ctx.diags) };
  } catch (e) {
    const diags: Diagnostic[] = ctx?.diags ?? [];
    const message = e instanceof Error ? e.message : String(e);
    const at = { line: 0, character: 0 };
    diags.push({
      code: YamlCode.internal,
      severity: 'error',
      message: `internal YAML front end error: ${message}`,
      range: { file, start: at, end: at },
    });
    return { diagnostics: sortDiagnostics(diags) };
  }
}
