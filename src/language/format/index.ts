/** Formatters: a flow AST as canonical `.flow` source or as YAML (`callflow fmt --to flow|yaml`). */
import type { FlowAst } from '../ast.js';
import { printFlow } from './print-flow.js';
import { printYaml } from './print-yaml.js';

export { printFlow } from './print-flow.js';
export { printYaml } from './print-yaml.js';
export { printExpr } from './print-expr.js';

/** The target formats of `formatFlow`. */
export const FlowFormat = { flow: 'flow', yaml: 'yaml' } as const;
export type FlowFormat = (typeof FlowFormat)[keyof typeof FlowFormat];

/** Print a flow in either syntax. Comments are not kept; everything else parses back to the same AST. */
export function formatFlow(ast: FlowAst, to: FlowFormat): string {
  return to === 'yaml' ? printYaml(ast) : printFlow(ast);
}
