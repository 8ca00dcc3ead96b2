/**
 * The `.flow` token vocabulary. Order matters (Chevrotain tries patterns in order): longer operators before their
 * prefixes, durations before numbers; keywords are names retyped after lexing (keywordOf).
 * Two categories: `Word` (any identifier-shaped token, usable as a member name or object key) and `Name`
 * (identifiers plus the soft keywords that may also be variable, argument or state names, e.g. `config`, `call`).
 */
import { createToken, Lexer, type TokenType, type CustomPatternMatcherFunc, type IToken } from 'chevrotain';
import { scanString } from './strings.js';

/** Every identifier-shaped token. */
export const Word = createToken({ name: 'Word', pattern: Lexer.NA, label: 'a name' });
/** Identifier-shaped tokens that can name a variable, argument, state or outcome. */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA, categories: [Word], label: 'a name' });

/**
 * A name: letters, digits and `_`, plus `-` joining two parts when no space surrounds it and the next part starts
 * with a letter (`first-digit-timeout`). So `a-b` is one name, while `a - b` and `a-1` are subtractions.
 */
export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z][A-Za-z0-9_]*)*/,
  categories: [Name, Word],
  label: 'a name',
});

/**
 * Keywords are not lexed by pattern: the lexer reads them as Identifier and `keywordOf` retypes an exact match.
 * Chevrotain would otherwise try every keyword sharing a name's first letter, then the name itself as the
 * keyword's `longer_alt`, on every name in the file. The pattern stays for the grammar tools that list the words.
 */
const keyword = (word: string, soft: boolean): TokenType =>
  createToken({
    name: word[0]!.toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    categories: soft ? [Name, Word] : [Word],
    label: `'${word}'`,
  });

// Hard keywords: never a name.
export const True = keyword('true', false);
export const False = keyword('false', false);
export const Null = keyword('null', false);
export const SetKw = keyword('set', false);
export const If = keyword('if', false);
export const Else = keyword('else', false);
export const Switch = keyword('switch', false);
export const Case = keyword('case', false);
export const Default = keyword('default', false);
export const Goto = keyword('goto', false);
export const Into = keyword('into', false);
export const On = keyword('on', false);
// Soft keywords: keywords where the grammar expects them, names elsewhere (`config.pin_url`, `call.from`).
export const Flow = keyword('flow', true);
export const Config = keyword('config', true);
export const State = keyword('state', true);
export const Call = keyword('call', true);
export const Http = keyword('http', true);
export const Start = keyword('start', true);
export const Request = keyword('request', true);
export const Auth = keyword('auth', true);
export const Invalid = keyword('invalid', true);
export const Max = keyword('max', true);

/** Line breaks: skipped like spaces; the layout pass turns changes of line into statement ends and indentation. */
export const RawNewline = createToken({ name: 'RawNewline', pattern: /\r\n|\r|\n/, line_breaks: true, group: Lexer.SKIPPED });
/** A statement end (one or more line breaks outside brackets). */
export const Newline = createToken({ name: 'Newline', pattern: Lexer.NA, label: 'end of line' });
/** The next line is indented further. */
export const Indent = createToken({ name: 'Indent', pattern: Lexer.NA, label: 'an indented block' });
/** The next line is indented less. */
export const Dedent = createToken({ name: 'Dedent', pattern: Lexer.NA, label: 'end of the indented block' });

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\r\n]*/, group: Lexer.SKIPPED });

const matchString: CustomPatternMatcherFunc = (text, offset) => {
  if (text.charCodeAt(offset) !== 34) return null;
  const end = scanString(text, offset);
  if (end < 0) return null;
  return [text.slice(offset, end)] as unknown as RegExpExecArray;
};
/** `"text ${expr} \n"`: one token, interpolations included; the parser splits it afterwards. */
export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: matchString,
  start_chars_hint: ['"'],
  line_breaks: false,
  label: 'a string',
});
/** A string missing its closing quote; the lexer reports it and hands the parser a string anyway. */
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /"[^\r\n]*/, label: 'a string' });

/** `500ms`, `10s`, `1.5m`, `1h`, `1m30s`. */
export const Duration = createToken({
  name: 'Duration',
  pattern: /(?:\d+(?:\.\d+)?(?:ms|h|m|s))+(?![A-Za-z0-9_])/,
  label: 'a duration',
});
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/,
  label: 'a number',
});

const matchPath: CustomPatternMatcherFunc = (text, offset, tokens: IToken[]) => {
  const method = tokens[tokens.length - 1];
  const http = tokens[tokens.length - 2];
  // Keywords are still Identifier tokens here (see keywordOf).
  if (text.charCodeAt(offset) !== 47 || !method || !http || http.tokenType !== Identifier || http.image !== 'http') return null;
  if (method.tokenType !== Identifier || keywordOf(method.image) !== undefined) return null;
  const re = /\/[^\s#"]*/y;
  re.lastIndex = offset;
  return re.exec(text);
};
/** The path of an `on http METHOD /path` entry (only right after the method). */
export const HttpPath = createToken({
  name: 'HttpPath',
  pattern: matchPath,
  start_chars_hint: ['/'],
  line_breaks: false,
  label: 'a path',
});

export const Arrow = createToken({ name: 'Arrow', pattern: /->/, label: "'->'" });
export const Coalesce = createToken({ name: 'Coalesce', pattern: /\?\?/, label: "'??'" });
export const OrOr = createToken({ name: 'OrOr', pattern: /\|\|/, label: "'||'" });
export const AndAnd = createToken({ name: 'AndAnd', pattern: /&&/, label: "'&&'" });
export const EqEq = createToken({ name: 'EqEq', pattern: /==/, label: "'=='" });
export const NotEq = createToken({ name: 'NotEq', pattern: /!=/, label: "'!='" });
export const LtEq = createToken({ name: 'LtEq', pattern: /<=/, label: "'<='" });
export const GtEq = createToken({ name: 'GtEq', pattern: />=/, label: "'>='" });
export const Lt = createToken({ name: 'Lt', pattern: /</, label: "'<'" });
export const Gt = createToken({ name: 'Gt', pattern: />/, label: "'>'" });
export const Plus = createToken({ name: 'Plus', pattern: /\+/, label: "'+'" });
export const Minus = createToken({ name: 'Minus', pattern: /-/, label: "'-'" });
export const Star = createToken({ name: 'Star', pattern: /\*/, label: "'*'" });
export const Slash = createToken({ name: 'Slash', pattern: /\//, label: "'/'" });
export const Percent = createToken({ name: 'Percent', pattern: /%/, label: "'%'" });
export const Bang = createToken({ name: 'Bang', pattern: /!/, label: "'!'" });
export const Equals = createToken({ name: 'Equals', pattern: /=/, label: "'='" });
export const Question = createToken({ name: 'Question', pattern: /\?/, label: "'?'" });
export const Pipe = createToken({ name: 'Pipe', pattern: /\|/, label: "'|'" });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: "':'" });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
export const Dot = createToken({ name: 'Dot', pattern: /\./, label: "'.'" });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: 'RBracket', pattern: /]/, label: "']'" });
export const LBrace = createToken({ name: 'LBrace', pattern: /{/, label: "'{'" });
export const RBrace = createToken({ name: 'RBrace', pattern: /}/, label: "'}'" });

/** Keywords that are never names. */
export const HARD_KEYWORDS = [True, False, Null, SetKw, If, Else, Switch, Case, Default, Goto, Into, On] as const;
/** The hard keywords' words (`if`, `set`, ...): never a name, so the YAML front end must not read them as one. */
export const HARD_KEYWORD_WORDS: ReadonlySet<string> = new Set(HARD_KEYWORDS.map((t) => t.name.toLowerCase()));

/** Keywords that are names outside their own construct. */
export const SOFT_KEYWORDS = [Flow, Config, State, Call, Http, Start, Request, Auth, Invalid, Max] as const;

const KEYWORD_BY_WORD: ReadonlyMap<string, TokenType> = new Map(
  [...HARD_KEYWORDS, ...SOFT_KEYWORDS].map((t) => [t.name.toLowerCase(), t]),
);

/** The keyword an Identifier token's text spells exactly (`set`, not `set-x` or `settle`), if any. */
export function keywordOf(image: string): TokenType | undefined {
  return KEYWORD_BY_WORD.get(image);
}

/** Token types in lexing order. */
export const LEXED_TOKENS: TokenType[] = [
  WhiteSpace,
  Comment,
  RawNewline,
  StringLiteral,
  UnterminatedString,
  Duration,
  NumberLiteral,
  HttpPath,
  Arrow,
  Coalesce,
  OrOr,
  AndAnd,
  EqEq,
  NotEq,
  LtEq,
  GtEq,
  Lt,
  Gt,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Bang,
  Equals,
  Question,
  Pipe,
  Colon,
  Comma,
  Dot,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Identifier,
];

/** Every token type the parser knows (lexed ones, the synthetic layout tokens and the categories). */
export const ALL_TOKENS: TokenType[] = [...LEXED_TOKENS, ...HARD_KEYWORDS, ...SOFT_KEYWORDS, Newline, Indent, Dedent, Word, Name];

/** Tokens that can begin an expression. */
export const EXPR_START: readonly TokenType[] = [
  StringLiteral,
  UnterminatedString,
  NumberLiteral,
  Duration,
  True,
  False,
  Null,
  Name,
  LParen,
  LBracket,
  LBrace,
  Minus,
  Bang,
];
