// Route schemas compiled when a route first needs them, not when it is
// registered. Parley registers several hundred routes across its dialects;
// compiled up front, their response serializers (fast-json-stringify) and
// validators (Ajv) held ~2.8 MiB of generated source, plus its code and
// closures, in every process whether or not a dialect is ever called
// (bench/README.md, idle footprint). A route now pays its compilation on its
// first request instead (a few milliseconds, once per process).

import type { FastifySchemaCompiler } from 'fastify';
import { SerializerSelector, type Serializer, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';

type Validate = ((data: unknown) => unknown) & { errors?: unknown };

/** Fastify reads a validator's `errors` after calling it (Ajv's convention): the wrapper passes them on. */
export function lazyValidators(compile: FastifySchemaCompiler<unknown>): FastifySchemaCompiler<unknown> {
  return (route) => {
    let validate: Validate | undefined;
    const lazy: Validate = (data) => {
      validate ??= compile(route) as Validate;
      const result = validate(data);
      lazy.errors = validate.errors;
      return result;
    };
    return lazy as ReturnType<FastifySchemaCompiler<unknown>>;
  };
}

/** Fastify's own serializer factory (fast-json-stringify, with the shared schemas), each route's serializer compiled on its first answer: the `schemaController` option. */
export const lazySerializerFactory: SerializerFactory = (externalSchemas, options) => {
  const compile = SerializerSelector()(externalSchemas, options);
  return (route) => {
    let serialize: Serializer | undefined;
    return (doc) => (serialize ??= compile(route))(doc);
  };
};
