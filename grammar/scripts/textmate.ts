/**
 * Generates grammar/callflow.tmLanguage.json, the TextMate grammar editors (VS Code, Sublime, GitHub's linguist)
 * use to highlight `.flow` files. Keywords come from the lexer's token lists and step names from the catalog,
 * so a new keyword or step is highlighted as soon as the file is regenerated.
 * Run: `npx tsx grammar/scripts/textmate.ts` (test/cli/grammar.test.ts fails when the file is stale).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BUILTIN_ROOTS, FUNCTIONS, STEPS } from '../../src/catalog/index.js';
import { HARD_KEYWORDS, SOFT_KEYWORDS } from '../../src/language/tokens.js';

/** Where the generated grammar is committed. */
export const TEXTMATE_FILE = fileURLToPath(new URL('../callflow.tmLanguage.json', import.meta.url));

/** A keyword's text, from its token's pattern (keyword tokens match exactly their word). */
export function keywordWord(pattern: unknown): string {
  return pattern instanceof RegExp ? pattern.source : String(pattern);
}

const NAME = '[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z][A-Za-z0-9_]*)*';
/** A whole word: names may contain `-`, so `\b` alone would find `set` inside `set-up`. */
const word = (alts: readonly string[]): string =>
  `(?<![A-Za-z0-9_-])(?:${alts.map((a) => a.replace(/-/g, '\\-')).join('|')})(?![A-Za-z0-9_-])`;

const CONTROL = ['if', 'else', 'switch', 'case', 'default', 'goto', 'max', 'on', 'into', 'set'];

/** The grammar as a plain object. */
export function textmateGrammar(): Record<string, unknown> {
  const hard = HARD_KEYWORDS.map((t) => keywordWord(t.PATTERN));
  const soft = SOFT_KEYWORDS.map((t) => keywordWord(t.PATTERN));
  const constants = hard.filter((w) => ['true', 'false', 'null'].includes(w));
  const control = [...hard, ...soft].filter((w) => CONTROL.includes(w));
  const declarations = [...hard, ...soft].filter((w) => !constants.includes(w) && !control.includes(w));
  const steps = Object.keys(STEPS).sort((a, b) => b.length - a.length);
  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'callflow',
    scopeName: 'source.callflow',
    fileTypes: ['flow'],
    patterns: [
      { include: '#comment' },
      {
        name: 'meta.declaration.state.callflow',
        match: `^\\s*(state|flow|config)\\s+(${NAME})`,
        captures: {
          1: { name: 'storage.type.callflow' },
          2: { name: 'entity.name.function.state.callflow' },
        },
      },
      {
        name: 'meta.entry.http.callflow',
        match: `(?<![A-Za-z0-9_-])(on)\\s+(http)\\s+(${NAME})\\s+(/[^\\s#"]*)`,
        captures: {
          1: { name: 'keyword.control.callflow' },
          2: { name: 'storage.type.entry.callflow' },
          3: { name: 'constant.language.http-method.callflow' },
          4: { name: 'string.unquoted.path.callflow' },
        },
      },
      {
        name: 'meta.entry.callflow',
        match: '(?<![A-Za-z0-9_-])(on)\\s+(call|start)(?![A-Za-z0-9_-])',
        captures: { 1: { name: 'keyword.control.callflow' }, 2: { name: 'storage.type.entry.callflow' } },
      },
      {
        name: 'meta.transition.callflow',
        match: `(->)\\s*(${NAME})`,
        captures: {
          1: { name: 'keyword.operator.arrow.callflow' },
          2: { name: 'entity.name.function.state.callflow' },
        },
      },
      { include: '#step' },
      { include: '#expression' },
    ],
    repository: {
      comment: { name: 'comment.line.number-sign.callflow', match: '#.*$' },
      step: {
        match: `^\\s*(${steps.map((s) => s.replace(/-/g, '\\-')).join('|')})(?![A-Za-z0-9_-])`,
        captures: { 1: { name: 'support.function.step.callflow' } },
      },
      expression: {
        patterns: [
          { include: '#comment' },
          { include: '#string' },
          {
            name: 'constant.numeric.duration.callflow',
            match: '(?<![A-Za-z0-9_])(?:\\d+(?:\\.\\d+)?(?:ms|h|m|s))+(?![A-Za-z0-9_])',
          },
          { name: 'constant.numeric.callflow', match: '(?<![A-Za-z0-9_])\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?' },
          { name: 'constant.language.callflow', match: word(constants) },
          { name: 'keyword.control.callflow', match: word(control) },
          // Roots first: `call.from` and `config.x` are variables; declarations are matched at line starts above.
          { name: 'variable.language.callflow', match: word([...BUILTIN_ROOTS]) },
          { name: 'storage.type.callflow', match: word(declarations) },
          {
            match: `${word(Object.keys(FUNCTIONS))}(?=\\s*\\()`,
            name: 'support.function.builtin.callflow',
          },
          { name: 'keyword.operator.callflow', match: '->|\\?\\?|\\|\\||&&|==|!=|<=|>=|[<>+\\-*/%!=?|:]' },
          { name: 'variable.other.callflow', match: NAME },
        ],
      },
      string: {
        name: 'string.quoted.double.callflow',
        begin: '"',
        end: '"|$',
        patterns: [
          { name: 'constant.character.escape.callflow', match: '\\\\.' },
          {
            name: 'meta.interpolation.callflow',
            begin: '\\$\\{',
            end: '\\}',
            beginCaptures: { 0: { name: 'punctuation.section.interpolation.begin.callflow' } },
            endCaptures: { 0: { name: 'punctuation.section.interpolation.end.callflow' } },
            patterns: [{ include: '#expression' }],
          },
        ],
      },
    },
  };
}

/** The file's text. */
export function textmateJson(): string {
  return `${JSON.stringify(textmateGrammar(), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(TEXTMATE_FILE, textmateJson());
  process.stdout.write(`wrote ${TEXTMATE_FILE}\n`);
}
