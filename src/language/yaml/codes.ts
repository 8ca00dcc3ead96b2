/**
 * Diagnostic codes of the YAML front end, in the parse band (CF21xx) beside the `.flow` parser's CF20xx codes.
 * Problems inside embedded expressions, transitions and types reuse the `.flow` codes (CF1xxx, CF20xx).
 */
export const YamlCode = {
  /** The text is not valid YAML (reported by the yaml package). */
  syntax: 'CF2100',
  /** A key the YAML flow shape does not know; the message suggests the closest known key. */
  unknownKey: 'CF2101',
  /** A value of the wrong YAML kind (a list where a map is expected, ...). */
  wrongKind: 'CF2102',
  /** A required key is missing (e.g. `flow`, or an entry's `goto`). */
  missingKey: 'CF2103',
  /** A key given twice where only one makes sense. */
  duplicateKey: 'CF2104',
  /** A quoted value where an expression is expected: quoted YAML values are text. */
  quotedCondition: 'CF2105',
  /** A statement item that does not name exactly one step or control keyword. */
  badStatement: 'CF2106',
  /** An `http` entry line that is not `METHOD /path`. */
  badHttp: 'CF2107',
  /** Something the yaml package warns about (unresolved tags, ...). */
  yamlWarning: 'CF2108',
  /** A state, variable, argument or outcome name the `.flow` syntax could not write. */
  badName: 'CF2109',
  /**
   * An `if` with an `else` whose `then` is bounded (`max N`) without its own `else`: the `.flow` syntax reads
   * `if c -> a max 2 else -> b` as the bound's `else`, so this shape would change meaning in `fmt --to flow`.
   */
  ambiguousBound: 'CF2110',
  /** An unexpected failure inside the YAML front end (a bug): reported, never thrown. */
  internal: 'CF2199',
} as const;
export type YamlCode = (typeof YamlCode)[keyof typeof YamlCode];
