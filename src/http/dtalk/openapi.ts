// The dtalk routes as OpenAPI operations, from the same request structs the
// router binds with (route.ts `request`) and the forms the upload and push
// handlers read: go-zero's binding rules written as JSON Schema (a field not
// `optional` is required, `options` are an enum, `range` bounds a number,
// int64 fields accept digits in a string too).

import type { FastifySchema, RouteOptions } from 'fastify';
import type { FieldSpec, Fields } from './bind.ts';
import type { DtalkForm } from './route.ts';

type JsonSchema = Record<string, unknown>;

function fieldSchema(spec: FieldSpec): JsonSchema {
  switch (spec.kind) {
    case 'string':
      return spec.options ? { type: 'string', enum: [...spec.options] } : { type: 'string' };
    case 'int': {
      const number: JsonSchema = { type: 'integer', format: 'int64' };
      if (spec.options) number.enum = [...spec.options];
      if (spec.range) Object.assign(number, { minimum: spec.range[0], maximum: spec.range[1] });
      return { oneOf: [number, { type: 'string', pattern: '^-?[0-9]{1,19}$', description: 'an int64 as digits' }] };
    }
    case 'bool':
      return { type: 'boolean' };
    case 'strings':
      return { type: 'array', items: { type: 'string' } };
    case 'objects':
      return { type: 'array', items: structSchema(spec.fields) };
  }
}

/** A go-zero request struct as a JSON Schema object. */
export function structSchema(fields: Fields): JsonSchema {
  const required = Object.entries(fields).filter(([, s]) => !s.optional).map(([name]) => name);
  return {
    type: 'object',
    properties: Object.fromEntries(Object.entries(fields).map(([name, s]) => [name, fieldSchema(s)])),
    ...(required.length > 0 ? { required } : {}),
  };
}

function formSchema(form: DtalkForm): JsonSchema {
  const base = structSchema(form.fields);
  const files = Object.fromEntries(
    Object.entries(form.files).map(([name, f]) => [
      name,
      {
        type: 'string',
        format: 'binary',
        contentMediaType: f.protobuf ? 'application/x-protobuf' : 'application/octet-stream',
        description: f.protobuf ? `${f.description} (protobuf message \`${f.protobuf}\`)` : f.description,
        ...(f.protobuf ? { 'x-protobuf-message': f.protobuf } : {}),
      },
    ]),
  );
  return { ...base, properties: { ...(base.properties as JsonSchema), ...files }, required: [...((base.required as string[]) ?? []), ...Object.keys(files)] };
}

/** The operation of one dtalk route: its body from `request` (JSON) or `form` (multipart). */
export function dtalkOperation(route: RouteOptions, routeSchema: FastifySchema | undefined): FastifySchema {
  const r = route.config?.dtalkRoute;
  const schema: FastifySchema = { ...routeSchema, tags: ['dtalk'] };
  if (!r) return schema;
  if (r.request) return { ...schema, body: { content: { 'application/json': { schema: structSchema(r.request) } } } };
  if (r.form) {
    const form = formSchema(r.form);
    return { ...schema, body: { content: { 'multipart/form-data': { schema: form, encoding: encodingOf(r.form) } } } };
  }
  return schema;
}

/** Protobuf parts say so in the multipart encoding, so a client sends them with that type. */
function encodingOf(form: DtalkForm): Record<string, { contentType: string }> {
  return Object.fromEntries(Object.entries(form.files).map(([name, f]) => [name, { contentType: f.protobuf ? 'application/x-protobuf' : 'application/octet-stream' }]));
}
