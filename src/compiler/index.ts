/**
 * The flow compiler: AST → checked IR. Diagnostics are data and nothing here throws; an IR is returned only
 * when there are no errors. `compileBatch` is the registry's and the CLI's entry point (cross-flow checks).
 */
import type { FlowAst } from '../language/ast.js';
import { hasErrors, fileStart, type Diagnostic } from '../language/diagnostics.js';
import { parseSource } from '../language/index.js';
import { sortDiagnostics } from '../language/ranges.js';
import { checkFlowRefs, checkRoutes, type BatchItem } from './check-batch.js';
import { checkEntries } from './check-http.js';
import { checkLoops } from './check-loops.js';
import { checkStructure } from './check-structure.js';
import { checkVars } from './check-vars.js';
import { Code } from './codes.js';
import { buildGraph } from './graph.js';
import type { FlowIr } from './ir.js';
import { hashSource, lowerFlow } from './lower.js';
import { Reporter } from './report.js';

export { Code } from './codes.js';
export { IR_VERSION } from './ir.js';
export type * from './ir.js';

/** Options of `compileAst`. */
export interface CompileOptions {
  /** The source text, hashed into `sourceHash` (default: a hash of the AST). */
  sourceText?: string;
  /** Skip the graph and dataflow checks (used when the parse already failed, to avoid cascades). */
  linkOnly?: boolean;
}

/** The result of compiling one file. */
export interface CompileResult {
  file: string;
  ast?: FlowAst;
  ir?: FlowIr;
  diagnostics: Diagnostic[];
}

function internal(file: string, err: unknown): Diagnostic {
  const message = err instanceof Error ? err.message : String(err);
  return {
    code: Code.internal,
    severity: 'error',
    message: `internal compiler error: ${message}`,
    range: fileStart(file),
  };
}

/** Lower and check one flow AST. */
export function compileAst(
  ast: FlowAst,
  opts: CompileOptions = {},
): { ir?: FlowIr; diagnostics: Diagnostic[] } {
  const r = new Reporter();
  try {
    const hash = hashSource(opts.sourceText ?? JSON.stringify(ast));
    const { ir, info } = lowerFlow(ast, r, hash);
    if (!opts.linkOnly) {
      const g = buildGraph(ir);
      checkStructure(ast, ir, g, info.stateNames, r);
      checkEntries(ir, g, r);
      checkLoops(g, info.stateNames, r);
      checkVars(g, r);
    }
    const diagnostics = sortDiagnostics(r.diagnostics);
    return hasErrors(diagnostics) || opts.linkOnly ? { diagnostics } : { ir, diagnostics };
  } catch (err) {
    return { diagnostics: sortDiagnostics([...r.diagnostics, internal(ast.file, err)]) };
  }
}

/** Parse (by extension: `.flow`, `.yaml`, `.yml`) and compile one file. */
export function compileSource(file: string, text: string): CompileResult {
  try {
    const parsed = parseSource(file, text);
    if (!parsed.ast) return { file, diagnostics: parsed.diagnostics };
    const parseFailed = hasErrors(parsed.diagnostics);
    const compiled = compileAst(parsed.ast, { sourceText: text, linkOnly: parseFailed });
    checkRoutes([{ ast: parsed.ast, diagnostics: compiled.diagnostics }]);
    const diagnostics = sortDiagnostics([...parsed.diagnostics, ...compiled.diagnostics]);
    const out: CompileResult = { file, ast: parsed.ast, diagnostics };
    if (compiled.ir && !hasErrors(diagnostics)) out.ir = compiled.ir;
    return out;
  } catch (err) {
    return { file, diagnostics: [internal(file, err)] };
  }
}

/** Options of `compileBatch`. */
export interface BatchOptions {
  /**
   * Names of flows loaded elsewhere. When given, the batch plus these are taken as every flow there is, and an
   * `originate flow "x"` naming none of them is an error; without it (a partial reload) only a warning.
   */
  knownFlows?: Iterable<string>;
}

/** Compile several files together, adding cross-flow checks. Matches the runtime's FlowCompiler. */
export function compileBatch(
  sources: ReadonlyArray<{ file: string; text: string }>,
  opts: BatchOptions = {},
): CompileResult[] {
  const results = sources.map((s) => compileSource(s.file, s.text));
  try {
    const items: BatchItem[] = results;
    checkRoutes(items, true);
    checkFlowRefs(items, new Set(opts.knownFlows ?? []), opts.knownFlows !== undefined);
  } catch (err) {
    results[0]?.diagnostics.push(internal(results[0].file, err));
  }
  for (const r of results) {
    r.diagnostics = sortDiagnostics(r.diagnostics);
    if (hasErrors(r.diagnostics)) delete r.ir;
  }
  return results;
}
