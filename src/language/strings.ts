/**
 * String literals with `${expr}` interpolation: finding where they end (for the lexer) and splitting their
 * content into text and expression source (for the parser and the YAML front end).
 */

const QUOTE = 34;
const BACKSLASH = 92;
const DOLLAR = 36;
const LBRACE = 123;
const RBRACE = 125;
const isEol = (c: number): boolean => c === 10 || c === 13;

/** Index just past the closing quote of the string opening at `start`, or -1 when it does not close on its line. */
export function scanString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (isEol(c)) return -1;
    if (c === BACKSLASH) {
      if (i + 1 >= text.length || isEol(text.charCodeAt(i + 1))) return -1;
      i += 2;
      continue;
    }
    if (c === DOLLAR && text.charCodeAt(i + 1) === LBRACE) {
      const end = scanInterpolation(text, i + 2, false);
      if (end < 0) return -1;
      i = end;
      continue;
    }
    i++;
  }
  return -1;
}

/** Index just past the `}` that closes an interpolation whose source starts at `start`, or -1. */
export function scanInterpolation(text: string, start: number, multiline: boolean): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = scanString(text, i);
      if (end < 0) return -1;
      i = end;
      continue;
    }
    if (c === LBRACE) depth++;
    else if (c === RBRACE) {
      if (depth === 0) return i + 1;
      depth--;
    } else if (isEol(c) && !multiline) return -1;
    i++;
  }
  return -1;
}

/** A piece of a string: literal text, or the source of an interpolated expression at `offset` in the content. */
export type TemplatePart = { text: string } | { expr: string; offset: number };

/** A problem inside a string's content, at an offset into it. */
export interface TemplateProblem {
  code: string;
  message: string;
  offset: number;
  length: number;
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r', $: '$', '0': '\0' };

/**
 * Split string content into text and interpolations. In `.flow` strings backslash escapes apply
 * (`\" \\ \n \t \r \$ \0 \u{1F600}`); in YAML strings (already unescaped by YAML) only `\${` is special, meaning a
 * literal `${`. Empty text pieces are dropped, but a string always has at least one part.
 */
export function splitTemplate(content: string, mode: 'flow' | 'yaml'): { parts: TemplatePart[]; problems: TemplateProblem[] } {
  const parts: TemplatePart[] = [];
  const problems: TemplateProblem[] = [];
  let text = '';
  let i = 0;
  const flush = (): void => {
    if (text !== '') parts.push({ text });
    text = '';
  };
  while (i < content.length) {
    const c = content[i]!;
    if (c === '\\' && mode === 'flow') {
      const next = content[i + 1] ?? '';
      const unicode = next === 'u' ? /^u\{([0-9a-fA-F]{1,6})\}/.exec(content.slice(i + 1)) : null;
      const code = unicode ? Number.parseInt(unicode[1]!, 16) : -1;
      if (unicode && code <= 0x10ffff) {
        text += String.fromCodePoint(code);
        i += 1 + unicode[0].length;
      } else if (next in ESCAPES) {
        text += ESCAPES[next];
        i += 2;
      } else {
        problems.push({ code: 'CF1003', message: `unknown escape '\\${next}' in a string`, offset: i, length: 2 });
        text += next;
        i += 2;
      }
      continue;
    }
    if (c === '\\' && mode === 'yaml' && content.startsWith('${', i + 1)) {
      text += '${';
      i += 3;
      continue;
    }
    if (c === '$' && content[i + 1] === '{') {
      const end = scanInterpolation(content, i + 2, mode === 'yaml');
      if (end < 0) {
        problems.push({ code: 'CF1004', message: "'${' is not closed by '}'", offset: i, length: 2 });
        text += content.slice(i);
        break;
      }
      const source = content.slice(i + 2, end - 1);
      if (source.trim() === '') {
        problems.push({ code: 'CF1005', message: "empty interpolation '${}'", offset: i, length: end - i });
      } else {
        flush();
        parts.push({ expr: source, offset: i + 2 });
      }
      i = end;
      continue;
    }
    text += c;
    i++;
  }
  flush();
  if (parts.length === 0) parts.push({ text: '' });
  return { parts, problems };
}
