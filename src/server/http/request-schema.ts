/**
 * Turn a flow's declared request shape (`request` fields of an `on http` entry) into a JSON Schema, validate
 * bodies with Ajv, and describe the problems in the API caller's terms (which field, what was wrong).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { TypeAst } from '../../language/ast.js';
import type { FieldIr } from '../../compiler/ir.js';

/** A JSON Schema fragment. */
export type JsonSchema = Record<string, unknown>;

/** One problem with a request, naming the field. */
export interface RequestProblem {
  field: string;
  problem: 'missing' | 'type' | 'value' | 'body';
  message: string;
}

/** JSON Schema for one declared type. */
export function schemaOfType(t: TypeAst): JsonSchema {
  switch (t.kind) {
    case 'base':
      return t.name === 'any' ? {} : { type: t.name };
    case 'literal':
      return { const: t.value };
    case 'union':
      if (t.types.every((x) => x.kind === 'literal')) return { enum: t.types.map((x) => (x as { value: string }).value) };
      return { anyOf: t.types.map(schemaOfType) };
  }
}

/** JSON Schema for a request body with these fields; unknown fields are allowed (APIs grow). */
export function schemaOfFields(fields: readonly FieldIr[]): JsonSchema {
  return {
    type: 'object',
    properties: Object.fromEntries(fields.map((f) => [f.name, { ...schemaOfType(f.type), ...(f.doc ? { description: f.doc } : {}) }])),
    required: fields.filter((f) => !f.optional && f.default === undefined).map((f) => f.name),
    additionalProperties: true,
  };
}

const ajv = new Ajv({ allErrors: true, strict: false });

/** A compiled validator for a route's body. */
export function compileRequestValidator(fields: readonly FieldIr[]): (body: unknown) => RequestProblem[] {
  const validate: ValidateFunction = ajv.compile(schemaOfFields(fields));
  return (body) => {
    if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
      const missing = fields.filter((f) => !f.optional && f.default === undefined);
      if (missing.length > 0 && (body === undefined || body === null || body === '')) {
        return missing.map((f) => ({ field: f.name, problem: 'missing', message: `'${f.name}' is required` }));
      }
      return [{ field: '(body)', problem: 'body', message: 'the request body must be a JSON object' }];
    }
    if (validate(body)) return [];
    return dedupeProblems((validate.errors ?? []).map(describe));
  };
}

function describe(e: ErrorObject): RequestProblem {
  if (e.keyword === 'required') {
    const field = String((e.params as { missingProperty: string }).missingProperty);
    return { field, problem: 'missing', message: `'${field}' is required` };
  }
  const field = e.instancePath.slice(1).replaceAll('/', '.') || '(body)';
  if (e.keyword === 'type') return { field, problem: 'type', message: `'${field}' must be ${String((e.params as { type: string }).type)}` };
  if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ');
    return { field, problem: 'value', message: `'${field}' must be one of ${allowed}` };
  }
  if (e.keyword === 'const') return { field, problem: 'value', message: `'${field}' must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}` };
  return { field, problem: 'value', message: `'${field}' ${e.message ?? 'is invalid'}` };
}

/**
 * Ajv reports every failing branch of a union, which reads badly; keep one problem per field, preferring
 * "missing" over type errors.
 */
export function dedupeProblems(problems: RequestProblem[]): RequestProblem[] {
  const byField = new Map<string, RequestProblem>();
  for (const p of problems) {
    const prev = byField.get(p.field);
    if (!prev || (p.problem === 'missing' && prev.problem !== 'missing')) byField.set(p.field, p);
  }
  return [...byField.values()];
}
