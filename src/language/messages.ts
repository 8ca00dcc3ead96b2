/** Syntax error messages in the flow author's words, and Chevrotain's recognition errors as Diagnostics. */
import { EOF, type IParserErrorMessageProvider, type IRecognitionException, type IToken, type TokenType } from 'chevrotain';
import type { Diagnostic } from './diagnostics.js';
import { error, tokenRange } from './ranges.js';
import * as T from './tokens.js';

function label(t: TokenType): string {
  return t.LABEL ?? t.name;
}

/** How a found token is shown in a message. */
export function describe(tok: IToken | undefined): string {
  if (!tok || tok.tokenType === EOF) return 'the end of the file';
  if (tok.tokenType === T.Newline) return 'the end of the line';
  if (tok.tokenType === T.Indent) return 'an indented line';
  if (tok.tokenType === T.Dedent) return 'the end of the indented block';
  const image = tok.image.length > 30 ? `${tok.image.slice(0, 27)}...` : tok.image;
  return `'${image}'`;
}

function alternatives(paths: TokenType[][][]): string {
  const firsts = new Set<string>();
  for (const alt of paths) for (const path of alt) if (path[0]) firsts.add(label(path[0]));
  const list = [...firsts].slice(0, 8);
  if (list.length === 0) return 'something else';
  if (list.length === 1) return list[0]!;
  return `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}`;
}

/** The message provider handed to the Chevrotain parser. */
export const messageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${label(expected)} but found ${describe(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${describe(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual }) {
    return `expected ${alternatives(expectedPathsPerAlt)} but found ${describe(actual[0])}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual }) {
    return `expected ${alternatives([expectedIterationPaths])} but found ${describe(actual[0])}`;
  },
};

const CODES: Readonly<Record<string, string>> = {
  MismatchedTokenException: 'CF2001',
  NoViableAltException: 'CF2002',
  EarlyExitException: 'CF2003',
  NotAllInputParsedException: 'CF2004',
};

const HINTS: Readonly<Record<string, string>> = {
  flowFile: 'top-level lines start with config, on or state; statements go indented under a state',
  statement: 'a statement is a step, set, if, switch, goto or -> state',
};

/** Turn Chevrotain's recognition errors into diagnostics, one per position. */
export function syntaxDiagnostics(file: string, errors: readonly IRecognitionException[], endRange: Diagnostic['range']): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of errors) {
    const tok = e.token;
    const range = tok && tok.tokenType !== EOF && !Number.isNaN(tok.startOffset) ? tokenRange(file, tok) : endRange;
    const key = `${range.start.line}:${range.start.character}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const rule = e.context.ruleStack[e.context.ruleStack.length - 1] ?? '';
    out.push(error(CODES[e.name] ?? 'CF2000', e.message, range, HINTS[rule]));
  }
  return out;
}
