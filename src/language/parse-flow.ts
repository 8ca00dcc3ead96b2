/**
 * Entry points of the `.flow` front end. Two parser instances serve every parse (Chevrotain analyses the grammar
 * once per instance): a fast one without error recovery, and a recovering one for inputs with syntax errors.
 * Interpolations inside strings are parsed after the main parse.
 */
import type { IToken } from 'chevrotain';
import type { Expr, FlowAst, TransitionAst, TypeAst } from './ast.js';
import type { Diagnostic, SourceRange } from './diagnostics.js';
import { textEnd, tokenizeFile, tokenizeFragment, type Base } from './lexer.js';
import { syntaxDiagnostics } from './messages.js';
import { FlowParser, type FlowParts } from './parser.js';
import type { PendingString } from './parser-support.js';
import { error, inString, sortDiagnostics } from './ranges.js';
import { splitTemplate } from './strings.js';

let recovering: FlowParser | undefined;
let strict: FlowParser | undefined;

/**
 * Run `rule` over `tokens`, first with a parser that has error recovery off: Chevrotain's recovery costs
 * bookkeeping at every repetition even when nothing is wrong, and most inputs are error-free. Only when that
 * attempt meets a syntax error is the input parsed again with recovery, which then reports every error.
 * Interpolations queued by the failed attempt are dropped before the second one.
 */
function run<T>(file: string, tokens: IToken[], pending: PendingString[], rule: (p: FlowParser) => T): { p: FlowParser; result: T } {
  const mark = pending.length;
  strict ??= new FlowParser(false);
  strict.begin(file, tokens, pending);
  const result = rule(strict);
  if (strict.errors.length === 0) return { p: strict, result };
  pending.length = mark;
  recovering ??= new FlowParser(true);
  recovering.begin(file, tokens, pending);
  return { p: recovering, result: rule(recovering) };
}

/** The result of parsing a file or a fragment. */
export interface ParseResult<T> {
  ast?: T;
  diagnostics: Diagnostic[];
}

function endRange(file: string, text: string): SourceRange {
  const at = textEnd(text);
  return { file, start: at, end: at };
}

function internal(file: string, e: unknown): Diagnostic {
  const message = e instanceof Error ? e.message : String(e);
  return error('CF2999', `internal parser error: ${message}`, { file, start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
}

/** Parse the interpolations queued while parsing (they may queue more, nested in their own strings). */
function resolvePending(pending: PendingString[], file: string, diags: Diagnostic[]): void {
  for (let guard = 0; pending.length > 0 && guard < 100_000; guard++) {
    const { expr, tok, content } = pending.pop()!;
    const split = splitTemplate(content, 'flow');
    for (const prob of split.problems) diags.push(error(prob.code, prob.message, inString(file, tok, prob.offset, prob.length)));
    expr.parts = split.parts.map((part) => {
      if ('text' in part) return part.text;
      const base: Base = {
        line: (tok.startLine ?? 1) - 1,
        character: (tok.startColumn ?? 1) + part.offset,
        offset: tok.startOffset + 1 + part.offset,
      };
      return parseWith(file, part.expr, base, pending, diags, (q) => q.expression()) ?? { kind: 'null', range: expr.range };
    });
  }
}

/** Lex `text` as a fragment and run one rule over it, adding every problem to `diags`. */
function parseWith<T>(file: string, text: string, base: Base | undefined, pending: PendingString[], diags: Diagnostic[], rule: (p: FlowParser) => T): T | undefined {
  const lex = tokenizeFragment(file, text, base);
  diags.push(...lex.diagnostics);
  const { p, result } = run(file, lex.tokens, pending, rule);
  const end = base ? { file, start: { line: base.line, character: base.character + text.length }, end: { line: base.line, character: base.character + text.length } } : endRange(file, text);
  diags.push(...syntaxDiagnostics(file, p.errors, end), ...p.diags);
  return result;
}

function fileName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.(flow|ya?ml)$/i, '') || 'flow';
}

/** Parse a `.flow` file. Never throws; with syntax errors the AST holds whatever recovery could build. */
export function parseFlow(file: string, text: string): ParseResult<FlowAst> {
  const diags: Diagnostic[] = [];
  try {
    const lex = tokenizeFile(file, text);
    diags.push(...lex.diagnostics);
    const pending: PendingString[] = [];
    const { p, result: parts } = run<FlowParts | undefined>(file, lex.tokens, pending, (q) => q.flowFile());
    diags.push(...syntaxDiagnostics(file, p.errors, endRange(file, text)), ...p.diags);
    resolvePending(pending, file, diags);
    const ast = parts ? assemble(file, text, parts, diags) : undefined;
    return ast ? { ast, diagnostics: sortDiagnostics(diags) } : { diagnostics: sortDiagnostics(diags) };
  } catch (e) {
    diags.push(internal(file, e));
    return { diagnostics: sortDiagnostics(diags) };
  }
}

function assemble(file: string, text: string, parts: FlowParts, diags: Diagnostic[]): FlowAst {
  const whole: SourceRange = { file, start: { line: 0, character: 0 }, end: endRange(file, text).end };
  let name = parts.header?.name;
  if (!name) {
    const at = { file, start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    diags.push(error('CF2010', "a flow file starts with 'flow <name>'", at, 'add a first line such as `flow my-flow`'));
    name = { name: fileName(file), range: at };
  }
  const ast: FlowAst = { kind: 'flow', file, format: 'flow', name, configs: parts.configs, entries: parts.entries, states: parts.states, range: whole };
  if (parts.header?.description !== undefined) ast.description = parts.header.description;
  return ast;
}

function fragment<T>(text: string, file: string, base: Base | undefined, rule: (p: FlowParser) => T): ParseResult<T> {
  const diags: Diagnostic[] = [];
  try {
    const pending: PendingString[] = [];
    const result = parseWith(file, text, base, pending, diags, rule);
    resolvePending(pending, file, diags);
    const ok = result !== undefined && result !== null;
    return ok ? { ast: result, diagnostics: sortDiagnostics(diags) } : { diagnostics: sortDiagnostics(diags) };
  } catch (e) {
    diags.push(internal(file, e));
    return { diagnostics: sortDiagnostics(diags) };
  }
}

/** Parse one expression (YAML values, tests, tools). `base` places it inside a larger file. */
export function parseExpressionAt(text: string, file: string, base?: Base): ParseResult<Expr> {
  return fragment(text, file, base, (p) => p.expression());
}

/** Parse a transition written the YAML way: `target`, `-> target`, `ask max 3 else goodbye`. */
export function parseTransitionAt(text: string, file: string, base?: Base): ParseResult<TransitionAst> {
  return fragment(text, file, base, (p) => p.looseTransition());
}

/** Parse a request-field type: `string`, `string | number`, `"a" | "b"`. */
export function parseTypeAt(text: string, file: string, base?: Base): ParseResult<TypeAst> {
  return fragment(text, file, base, (p) => p.type());
}
