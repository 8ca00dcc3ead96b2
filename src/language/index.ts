/** The language front ends: `.flow` (Chevrotain) and YAML, both producing the same AST, plus formatters. */
import type { FlowAst } from './ast.js';
import type { Diagnostic } from './diagnostics.js';
import { parseExpressionAt, parseFlow } from './parse-flow.js';
import type { Expr } from './ast.js';
import { formatFlow, type FlowFormat } from './format/index.js';
import { hasErrors } from './diagnostics.js';
import { parseYamlFlow } from './yaml/load-yaml.js';

export type * from './ast.js';
export type { Diagnostic, Position, SourceRange, Severity } from './diagnostics.js';
export { hasErrors, fileStart } from './diagnostics.js';
export { parseFlow } from './parse-flow.js';
export { parseYamlFlow } from './yaml/load-yaml.js';
export { formatFlow, printExpr, FlowFormat } from './format/index.js';
export { flowSchema } from './yaml/schema.js';

/** Parse one expression, e.g. a YAML value or a test input. Never throws. */
export function parseExpression(
  text: string,
  file = '<expression>',
): { expr?: Expr; diagnostics: Diagnostic[] } {
  const r = parseExpressionAt(text, file);
  return r.ast ? { expr: r.ast, diagnostics: r.diagnostics } : { diagnostics: r.diagnostics };
}

/** Whether a file name is a YAML flow (`.yaml` / `.yml`); anything else is read as `.flow`. */
export function isYamlFile(file: string): boolean {
  return /\.ya?ml$/i.test(file);
}

/** Parse a flow file, choosing the front end by extension (.yaml/.yml → YAML, anything else → `.flow`). Never throws. */
export function parseSource(file: string, text: string): { ast?: FlowAst; diagnostics: Diagnostic[] } {
  return isYamlFile(file) ? parseYamlFlow(file, text) : parseFlow(file, text);
}

/**
 * `callflow fmt` in one call: parse `text` (front end chosen by `file`'s extension) and print it in `to` (by default
 * the same syntax). A file with errors is not formatted: `text` is undefined and the diagnostics say why.
 */
export function formatSource(
  file: string,
  text: string,
  to?: FlowFormat,
): { text?: string; diagnostics: Diagnostic[] } {
  const r = parseSource(file, text);
  if (!r.ast || hasErrors(r.diagnostics)) return { diagnostics: r.diagnostics };
  return { text: formatFlow(r.ast, to ?? (isYamlFile(file) ? 'yaml' : 'flow')), diagnostics: r.diagnostics };
}
