/**
 * The JSON Schema (draft-07) of YAML flows, generated from the step catalog so editors running
 * yaml-language-server complete and check steps, arguments (types, enums, units) and outcomes.
 * grammar/flow.schema.json is this function's output (`npx tsx src/language/yaml/write-schema.ts`).
 */
import { CallMatchField } from '../ast.js';
import { outcomeCondition, STEPS, type ArgDecl, type ArgType, type StepDecl } from '../../catalog/index.js';

/** A JSON Schema node (kept loose: plain JSON data). */
export type JsonSchema = { [key: string]: unknown };

const NAME = '^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z][A-Za-z0-9_]*)*$';
const EXPR = '^\\$\\{[\\s\\S]*\\}$';
const DURATION = '^-?(?:\\d+(?:\\.\\d+)?(?:ms|h|m|s))+$';
const ref = (name: string): JsonSchema => ({ $ref: `#/definitions/${name}` });

function ms(n: number): string {
  if (n % 3_600_000 === 0 && n > 0) return `${n / 3_600_000}h`;
  if (n % 60_000 === 0 && n > 0) return `${n / 60_000}m`;
  if (n % 1000 === 0 && n > 0) return `${n / 1000}s`;
  return `${n}ms`;
}

/** Words describing an argument type, its bounds and units (for editor hovers). */
function describeType(t: ArgType): string {
  switch (t.kind) {
    case 'duration': {
      const bounds = [
        t.minMs !== undefined ? `at least ${ms(t.minMs)}` : '',
        t.maxMs !== undefined ? `at most ${ms(t.maxMs)}` : '',
      ].filter(Boolean);
      return `a duration with a unit (ms, s, m, h), e.g. 10s${bounds.length ? `; ${bounds.join(', ')}` : ''}`;
    }
    case 'number': {
      const bounds = [
        t.min !== undefined ? `>= ${t.min}` : '',
        t.max !== undefined ? `<= ${t.max}` : '',
      ].filter(Boolean);
      return `${t.integer ? 'a whole number' : 'a number'}${bounds.length ? ` ${bounds.join(', ')}` : ''}`;
    }
    case 'enum':
      return `one of ${t.values.join(', ')}`;
    case 'oneOf':
      return t.types.map(describeType).join(', or ');
    case 'array':
      return t.items ? `a list of ${describeType(t.items)}` : 'a list';
    case 'any':
      return 'any value';
    case 'object':
      return 'an object';
    case 'string':
      return 'text';
    case 'boolean':
      return 'true or false';
  }
}

/** The schema of an argument value: its own type, or an expression `${...}` computed at run time. */
function typeSchema(t: ArgType): JsonSchema {
  switch (t.kind) {
    case 'string':
      return { type: 'string' };
    case 'number': {
      const s: JsonSchema = { type: t.integer ? 'integer' : 'number' };
      if (t.min !== undefined) s.minimum = t.min;
      if (t.max !== undefined) s.maximum = t.max;
      return { anyOf: [s, ref('expression')] };
    }
    case 'boolean':
      return { anyOf: [{ type: 'boolean' }, ref('expression')] };
    case 'duration':
      return { anyOf: [ref('duration'), ref('expression')] };
    case 'enum': {
      const numeric = t.values.filter((v) => /^\d+$/.test(v)).map(Number);
      return { anyOf: [{ enum: [...t.values, ...numeric] }, ref('expression')] };
    }
    case 'object':
      return { anyOf: [{ type: 'object' }, ref('expression')] };
    case 'array':
      return {
        anyOf: [
          t.items ? { type: 'array', items: typeSchema(t.items) } : { type: 'array' },
          ref('expression'),
        ],
      };
    case 'any':
      return {};
    case 'oneOf':
      return { anyOf: t.types.map(typeSchema) };
  }
}

function argSchema(a: ArgDecl): JsonSchema {
  const notes = [a.doc, `Type: ${describeType(a.type)}.`];
  if (a.default !== undefined && a.default !== null)
    notes.push(
      `Default: ${a.type.kind === 'duration' && typeof a.default === 'number' ? ms(a.default) : String(a.default)}.`,
    );
  if (a.required) notes.push('Required.');
  if (a.flag) notes.push('A flag: `true` turns it on.');
  return { description: notes.join(' '), ...typeSchema(a.type) };
}

function stepSchema(step: StepDecl): JsonSchema {
  const args: JsonSchema = {};
  for (const a of step.args) args[a.name] = argSchema(a);
  const argMap: JsonSchema = { type: 'object', properties: args, additionalProperties: false };
  const required = step.args.filter((a) => a.required).map((a) => a.name);
  if (required.length > 0) argMap.required = required;
  const pos = step.args.find((a) => a.positional);
  const forms: JsonSchema[] = [argMap];
  if (pos) forms.push({ description: `The ${pos.name}: ${pos.doc}`, ...typeSchema(pos.type) });
  if (required.length === 0) forms.push({ type: 'null' });
  const outcomes: JsonSchema = {};
  for (const o of step.outcomes)
    outcomes[o.name] = {
      description: o.doc + (outcomeCondition(o) ? ` (${outcomeCondition(o) ?? ''})` : ''),
      ...ref('transition'),
    };
  outcomes.other = { description: 'Any outcome not routed above.', ...ref('transition') };
  const props: JsonSchema = {
    [step.name]: { description: step.summary, anyOf: forms },
    on: {
      description: 'Where each outcome goes.',
      type: 'object',
      properties: outcomes,
      additionalProperties: false,
    },
  };
  if (step.into) props.into = { description: `The variable that receives ${step.into}.`, ...ref('name') };
  return {
    type: 'object',
    description: step.summary,
    required: [step.name],
    properties: props,
    additionalProperties: false,
  };
}

function definitions(): JsonSchema {
  const fieldType: JsonSchema = {
    anyOf: [
      {
        type: 'string',
        description: 'string, number, boolean, object, array, any, or a union such as `string | number`.',
      },
      {
        type: 'array',
        description: 'A union; quoted items are literal values, e.g. ["inbound", "outbound"].',
        items: { type: 'string' },
        minItems: 1,
      },
    ],
  };
  const field = {
    anyOf: [
      fieldType,
      {
        type: 'object',
        properties: { type: fieldType, default: {}, doc: { type: 'string' } },
        additionalProperties: false,
      },
    ],
  };
  const matchers: JsonSchema = {};
  for (const m of Object.values(CallMatchField))
    matchers[m] = { type: 'string', description: `Match the call's ${m}; * is a wildcard.` };
  const transitionMap = {
    type: 'object',
    properties: { to: ref('name'), max: { type: 'integer', minimum: 1 }, else: ref('transition') },
    required: ['to'],
    additionalProperties: false,
  };
  return {
    name: { type: 'string', pattern: NAME },
    expression: {
      type: 'string',
      pattern: EXPR,
      description: 'An expression computed at run time, e.g. ${call.from}.',
    },
    duration: {
      type: 'string',
      pattern: DURATION,
      description: 'A duration with a unit: 500ms, 10s, 2m, 1h.',
    },
    transition: {
      description: 'A target state, optionally bounded: `ask max 3 else goodbye`; `end` ends the session.',
      anyOf: [{ type: 'string' }, transitionMap],
    },
    fields: {
      type: ['object', 'null'],
      propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_-]*\\??$' },
      additionalProperties: field,
    },
    callEntry: {
      type: 'object',
      required: ['call', 'goto'],
      properties: {
        call: { type: ['object', 'null'], properties: matchers, additionalProperties: false },
        goto: ref('transition'),
      },
      additionalProperties: false,
    },
    httpEntry: {
      type: 'object',
      required: ['http', 'goto'],
      properties: {
        http: {
          type: 'string',
          pattern: '^[A-Za-z_][A-Za-z0-9_]*\\s+/\\S*$',
          description: 'Method and path, e.g. POST /v1/calls/:id.',
        },
        doc: { type: 'string' },
        auth: {
          anyOf: [
            { type: 'string' },
            { type: 'object', required: ['scheme'], properties: { scheme: { type: 'string' } } },
          ],
        },
        request: ref('fields'),
        invalid: ref('transition'),
        goto: ref('transition'),
      },
      additionalProperties: false,
    },
    startEntry: {
      type: 'object',
      required: ['start', 'goto'],
      properties: { start: ref('fields'), goto: ref('transition') },
      additionalProperties: false,
    },
    statement: {
      anyOf: [
        {
          type: 'string',
          description: 'A step without arguments, or `-> state`.',
          anyOf: [{ enum: Object.keys(STEPS) }, { pattern: '^\\s*->' }],
        },
        {
          type: 'object',
          required: ['set'],
          properties: {
            set: {
              type: 'object',
              propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z_][A-Za-z0-9_-]*)*$' },
            },
          },
          additionalProperties: false,
        },
        {
          type: 'object',
          required: ['if', 'then'],
          properties: { if: {}, then: ref('transition'), else: ref('transition') },
          additionalProperties: false,
        },
        {
          type: 'object',
          required: ['switch'],
          properties: {
            switch: {},
            cases: {
              type: 'array',
              items: {
                type: 'object',
                required: ['case', 'goto'],
                properties: { case: {}, goto: ref('transition') },
                additionalProperties: false,
              },
            },
            default: ref('transition'),
          },
          additionalProperties: false,
        },
        {
          type: 'object',
          required: ['goto'],
          properties: { goto: ref('transition') },
          additionalProperties: false,
        },
        ...Object.values(STEPS).map(stepSchema),
      ],
    },
  };
}

/** The schema of a YAML flow file. */
export function flowSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://callflow.dev/schemas/flow.schema.json',
    title: 'callflow YAML flow',
    description:
      'A call flow in YAML; the same language as .flow files (see docs/yaml-flows.md). Generated from the step catalog.',
    type: 'object',
    required: ['flow', 'states'],
    properties: {
      flow: { description: 'The flow name.', ...ref('name') },
      description: { type: 'string' },
      config: {
        description:
          'Deployment values, read as config.<name>: `name: default`, `name:` (no default) or `name: {default, doc}`.',
        type: 'object',
        propertyNames: { pattern: NAME },
        additionalProperties: {
          anyOf: [
            {
              type: 'object',
              properties: { default: {}, doc: { type: 'string' } },
              additionalProperties: false,
            },
            { not: { type: 'object' } },
          ],
        },
      },
      on: {
        description: 'Entry points: call, http and start.',
        type: 'array',
        items: { anyOf: [ref('callEntry'), ref('httpEntry'), ref('startEntry')] },
      },
      states: {
        description: 'The states, each a list of statements run in order.',
        type: 'object',
        propertyNames: { pattern: NAME },
        additionalProperties: { type: ['array', 'null'], items: ref('statement') },
      },
    },
    additionalProperties: false,
    definitions: definitions(),
  };
}
