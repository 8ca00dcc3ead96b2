/**
 * State shared while turning one YAML document into a flow AST: the file, offsets → 0-based LSP positions, the
 * diagnostics found so far, and checks on map keys (unknown keys get a did-you-mean, never an exception).
 */
import {
  isAlias,
  isMap,
  type Alias,
  isPair,
  isScalar,
  isSeq,
  type Document,
  type LineCounter,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { Ident } from '../ast.js';
import type { Diagnostic, Position, SourceRange } from '../diagnostics.js';
import type { Base } from '../lexer.js';
import { HARD_KEYWORD_WORDS } from '../tokens.js';
import { YamlCode } from './codes.js';
import { didYouMean } from './suggest.js';

/** A YAML node as this front end walks it (aliases already resolved). */
export type YNode = Scalar | YAMLMap | YAMLSeq;

/** One key/value pair of a map, with the key as text. */
export interface YPair {
  key: string;
  keyNode: Scalar | undefined;
  value: YNode | undefined;
  pair: Pair;
}

/** Alias uses one document may expand (a flow has no need for many; expansion can be exponential). */
const MAX_ALIASES = 1000;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z][A-Za-z0-9_]*)*$/;

/** A scalar's value as text (the yaml package resolves scalars to strings, numbers, booleans or null). */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v) ?? '';
}

/** Whether `.flow` syntax can write `s` as a name (a state, variable, argument or outcome). */
export function isFlowName(s: string): boolean {
  return NAME.test(s) && !HARD_KEYWORD_WORDS.has(s);
}

/** Whether `s` can follow a `.` (member names and object keys may be any identifier-shaped word). */
export function isFlowWord(s: string): boolean {
  return NAME.test(s);
}

/** The walk's state for one file. */
export class YamlContext {
  readonly diags: Diagnostic[] = [];
  private aliases = 0;
  private readonly resolved = new Map<Alias, unknown>();

  constructor(
    readonly file: string,
    readonly text: string,
    private readonly lines: LineCounter,
    private readonly doc: Document,
  ) {}

  /** 0-based position of an offset into the text. */
  pos(offset: number): Position {
    const at = this.lines.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { line: at.line - 1, character: at.col - 1 };
  }

  /** Where a fragment starting at `offset` sits, for the `.flow` lexer. */
  base(offset: number): Base {
    const p = this.pos(offset);
    return { line: p.line, character: p.character, offset };
  }

  /** The range from one offset to another. */
  span(start: number, end: number): SourceRange {
    return { file: this.file, start: this.pos(start), end: this.pos(end) };
  }

  /** The range a node's value covers (without trailing comments). */
  range(node: Node | undefined | null, fallback?: SourceRange): SourceRange {
    const r = node?.range;
    if (!r) return fallback ?? this.span(0, 0);
    return this.span(r[0], r[1]);
  }

  /** The range of a whole pair, key to value. */
  pairRange(p: YPair): SourceRange {
    const start = p.keyNode?.range?.[0] ?? p.value?.range?.[0] ?? 0;
    const end = p.value?.range?.[1] ?? p.keyNode?.range?.[1] ?? start;
    return this.span(start, end);
  }

  /** The text of a key or scalar: plain scalars as written (so `True` stays `True`), others by value. */
  scalarText(s: Scalar): string {
    if (s.type === 'PLAIN' && typeof s.source === 'string') return s.source;
    return valueText(s.value);
  }

  /** The raw source of a node's value. */
  source(node: Node): string {
    const r = node.range;
    return r ? this.text.slice(r[0], r[1]) : '';
  }

  report(
    code: string,
    message: string,
    range: SourceRange,
    hint?: string,
    severity: Diagnostic['severity'] = 'error',
  ): void {
    const d: Diagnostic = { code, severity, message, range };
    if (hint !== undefined) d.hint = hint;
    this.diags.push(d);
  }

  /** Resolve aliases (a bounded number per document, against alias bombs); other nodes pass through. */
  node(n: unknown): YNode | undefined {
    if (isAlias(n)) {
      if (++this.aliases > MAX_ALIASES) {
        if (this.aliases === MAX_ALIASES + 1)
          this.report(YamlCode.wrongKind, 'too many aliases (*name) in this document', this.range(n));
        return undefined;
      }
      // Alias.resolve searches the whole document, so each alias node is resolved once.
      let target = this.resolved.get(n);
      if (!this.resolved.has(n)) {
        target = n.resolve(this.doc);
        this.resolved.set(n, target);
      }
      return isAlias(target) ? undefined : this.node(target);
    }
    if (isScalar(n) || isMap(n) || isSeq(n)) return n;
    return undefined;
  }

  /** Whether a node is absent or an empty / null scalar. */
  isEmpty(n: YNode | undefined): boolean {
    return (
      n === undefined ||
      (isScalar(n) &&
        n.value === null &&
        n.type === 'PLAIN' &&
        this.source(n).trim() !== 'null' &&
        this.source(n).trim() !== '~')
    );
  }

  /** The pairs of a map; reports and returns [] when `n` is not a map. */
  map(n: YNode | undefined, what: string, at?: SourceRange): YPair[] {
    if (n === undefined) return [];
    if (!isMap(n)) {
      this.report(YamlCode.wrongKind, `${what} should be a map (key: value lines)`, this.range(n, at));
      return [];
    }
    const out: YPair[] = [];
    for (const p of n.items) {
      if (!isPair(p)) continue;
      const k = this.node(p.key);
      if (k !== undefined && !isScalar(k)) {
        this.report(YamlCode.wrongKind, 'a key should be a plain word, not a list or a map', this.range(k));
        continue;
      }
      out.push({ key: k ? this.scalarText(k) : '', keyNode: k, value: this.node(p.value), pair: p });
    }
    return out;
  }

  /** The items of a sequence; a single non-sequence value is reported. */
  seq(n: YNode | undefined, what: string): YNode[] {
    if (n === undefined) return [];
    if (!isSeq(n)) {
      this.report(YamlCode.wrongKind, `${what} should be a list ('- item' lines)`, this.range(n));
      return [];
    }
    const out: YNode[] = [];
    for (const item of n.items) {
      const v = this.node(item);
      if (v) out.push(v);
    }
    return out;
  }

  /** The range of a pair's key. */
  keyRange(p: YPair): SourceRange {
    return this.range(p.keyNode ?? p.value);
  }

  /** An identifier from a pair's key. */
  keyIdent(p: YPair): Ident {
    return { name: p.key, range: this.keyRange(p) };
  }

  /**
   * Report keys outside `allowed` (with a did-you-mean) and keys given twice; return the first pair per allowed key.
   * `extra` maps common wrong words to the right key (e.g. `name` → `flow`).
   */
  keys(
    pairs: readonly YPair[],
    allowed: readonly string[],
    where: string,
    extra: Readonly<Record<string, string>> = {},
  ): Map<string, YPair> {
    const found = new Map<string, YPair>();
    for (const p of pairs) {
      if (!allowed.includes(p.key)) {
        const hint = extra[p.key];
        const suggestion = hint !== undefined ? ` (did you mean '${hint}'?)` : didYouMean(p.key, allowed);
        this.report(
          YamlCode.unknownKey,
          `unknown key '${p.key}' in ${where}${suggestion}`,
          this.keyRange(p),
          `known keys: ${allowed.join(', ')}`,
        );
        continue;
      }
      if (found.has(p.key)) {
        this.report(YamlCode.duplicateKey, `'${p.key}' is given twice in ${where}`, this.keyRange(p));
        continue;
      }
      found.set(p.key, p);
    }
    return found;
  }

  /** A plain-text scalar (a doc string, a name); reports other kinds. */
  str(n: YNode | undefined, what: string): string | undefined {
    if (n === undefined) return undefined;
    if (!isScalar(n) || (typeof n.value === 'object' && n.value !== null)) {
      this.report(YamlCode.wrongKind, `${what} should be text`, this.range(n));
      return undefined;
    }
    return this.scalarText(n);
  }

  /** A name written as a YAML scalar; reported when `.flow` syntax could not write it. */
  name(n: YNode | undefined, what: string, at: SourceRange): Ident | undefined {
    if (n === undefined || this.isEmpty(n)) {
      this.report(YamlCode.missingKey, `${what} is missing`, at);
      return undefined;
    }
    const s = this.str(n, what);
    if (s === undefined) return undefined;
    const id = { name: s, range: this.range(n) };
    this.checkName(id, what);
    return id;
  }

  /** Report a name `.flow` syntax could not write (so YAML and `.flow` accept the same names). */
  checkName(id: Ident, what: string): void {
    if (isFlowName(id.name)) return;
    const why = HARD_KEYWORD_WORDS.has(id.name) ? `'${id.name}' is a keyword` : `'${id.name}' is not a valid name`;
    this.report(
      YamlCode.badName,
      `${why} for ${what}`,
      id.range,
      'names use letters, digits, _ and inner dashes, e.g. ask-pin',
    );
  }
}
