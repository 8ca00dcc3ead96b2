/**
 * The fixed library of functions expressions may call. Declared here (name, arity, doc) so the compiler can
 * check calls; implemented in the runtime. There are no user-defined functions and no eval.
 */

/** One library function's declaration. */
export interface FunctionDecl {
  name: string;
  params: readonly string[];
  /** Number of trailing params that may be omitted. */
  optional?: number;
  /** Accepts any number of extra arguments after `params` (e.g. format). */
  variadic?: boolean;
  returns: 'string' | 'number' | 'boolean' | 'array' | 'object' | 'any';
  doc: string;
  /** The result differs between calls with the same arguments (random, now): the simulator seeds/fixes them. */
  impure?: boolean;
}

const fn = (d: FunctionDecl): FunctionDecl => d;

/** Every function an expression may call, by name. */
export const FUNCTIONS: Readonly<Record<string, FunctionDecl>> = Object.fromEntries(
  [
    fn({ name: 'len', params: ['value'], returns: 'number', doc: 'Length of a string or array, or number of keys of an object.' }),
    fn({ name: 'lower', params: ['text'], returns: 'string', doc: 'Lower-case text.' }),
    fn({ name: 'upper', params: ['text'], returns: 'string', doc: 'Upper-case text.' }),
    fn({ name: 'trim', params: ['text'], returns: 'string', doc: 'Text without leading and trailing spaces.' }),
    fn({ name: 'digits', params: ['text'], returns: 'string', doc: 'Only the digits 0-9 of the text.' }),
    fn({ name: 'e164', params: ['number', 'country'], optional: 1, returns: 'string', doc: 'The number in E.164 form (+ and digits); `country` is a calling code used when the number has none (default 1).' }),
    fn({ name: 'display_number', params: ['number'], returns: 'string', doc: 'A number formatted for people, e.g. "+1 (737) 758 3411".' }),
    fn({ name: 'random_digits', params: ['count'], returns: 'string', doc: 'A string of `count` random digits (may start with 0).', impure: true }),
    fn({ name: 'random_int', params: ['min', 'max'], returns: 'number', doc: 'A random integer in [min, max].', impure: true }),
    fn({ name: 'pick', params: ['list'], returns: 'any', doc: 'A random element of a list (null when empty).', impure: true }),
    fn({ name: 'uuid', params: [], returns: 'string', doc: 'A random UUID.', impure: true }),
    fn({ name: 'now', params: [], returns: 'number', doc: 'The current time in milliseconds since the epoch.', impure: true }),
    fn({ name: 'iso_time', params: ['ms'], optional: 1, returns: 'string', doc: 'An ISO 8601 timestamp (now, or of `ms`).', impure: true }),
    fn({ name: 'format', params: ['template'], variadic: true, returns: 'string', doc: 'Replace {0}, {1}... in the template with the arguments.' }),
    fn({ name: 'contains', params: ['haystack', 'needle'], returns: 'boolean', doc: 'Whether a string contains a substring, or a list an element.' }),
    fn({ name: 'starts_with', params: ['text', 'prefix'], returns: 'boolean', doc: 'Whether the text starts with the prefix.' }),
    fn({ name: 'ends_with', params: ['text', 'suffix'], returns: 'boolean', doc: 'Whether the text ends with the suffix.' }),
    fn({ name: 'replace', params: ['text', 'find', 'with'], returns: 'string', doc: 'Replace every occurrence of `find`.' }),
    fn({ name: 'split', params: ['text', 'separator'], returns: 'array', doc: 'Split text into a list.' }),
    fn({ name: 'join', params: ['list', 'separator'], optional: 1, returns: 'string', doc: 'Join a list into text.' }),
    fn({ name: 'substr', params: ['text', 'start', 'length'], optional: 1, returns: 'string', doc: 'Part of the text.' }),
    fn({ name: 'before', params: ['text', 'separator'], returns: 'string', doc: 'Text before the first separator (all of it if absent).' }),
    fn({ name: 'after', params: ['text', 'separator'], returns: 'string', doc: 'Text after the first separator ("" if absent).' }),
    fn({ name: 'number', params: ['value'], returns: 'number', doc: 'The value as a number (null if it is not one).' }),
    fn({ name: 'string', params: ['value'], returns: 'string', doc: 'The value as text (objects as JSON).' }),
    fn({ name: 'keys', params: ['object'], returns: 'array', doc: 'The keys of an object.' }),
    fn({ name: 'has', params: ['object', 'key'], returns: 'boolean', doc: 'Whether the object has the key (with a non-null value).' }),
    fn({ name: 'missing', params: ['object', 'keys'], returns: 'array', doc: 'The keys (a list of names) that the object lacks, or holds as null or "".' }),
    fn({ name: 'matches', params: ['text', 'pattern'], returns: 'boolean', doc: 'Whether the text matches a regular expression.' }),
    fn({ name: 'base64', params: ['text'], returns: 'string', doc: 'Base64 of the UTF-8 text.' }),
  ].map((d) => [d.name, d]),
);
