// What /openapi.json says about each native route beyond its schemas: the
// errors every route of its kind can answer, a description for every
// response, and the file bodies of the upload routes (which no JSON schema
// validates: they are streams). Nothing here changes how a request is
// validated or answered; it only completes the document.

import type { FastifySchema, RouteOptions } from 'fastify';
import { impliedErrors, withErrors } from '../native/error-responses.ts';
import { isSocketRoute, type FileBodyDoc } from './dialect-mark.ts';

type Transformed = { schema: FastifySchema; url: string };

const SUCCESS: Record<string, string> = {
  200: 'OK',
  201: 'Created',
  204: 'Done (no body)',
  206: 'Partial content (the requested range)',
};

/** A response schema with a description (a copy: shared schemas are not touched). */
export function described(schema: unknown, text: string): unknown {
  if (typeof schema !== 'object' || schema === null) return { description: text };
  const s = schema as { description?: string };
  return s.description ? schema : { ...schema, description: text };
}

function fileBody(doc: FileBodyDoc): FastifySchema['body'] {
  const file = { type: 'string', format: 'binary', contentMediaType: 'application/octet-stream', description: 'The file (the only file part read)' };
  const fields = Object.fromEntries(Object.entries(doc.fields ?? {}).map(([name, description]) => [name, { type: 'string', description }]));
  const content: Record<string, { schema: unknown }> = {
    'multipart/form-data': { schema: { type: 'object', properties: { ...fields, file }, required: ['file'] } },
  };
  if (!doc.formOnly) content['application/octet-stream'] = { schema: { type: 'string', format: 'binary', contentMediaType: 'application/octet-stream', description: 'The bytes of the file (send its type as Content-Type)' } };
  return { content };
}

export function nativeOperation(schema: FastifySchema | undefined, url: string, route: RouteOptions): Transformed {
  const s: FastifySchema = { ...schema };
  const method = Array.isArray(route.method) ? String(route.method[0]) : String(route.method);
  const authenticated = !(Array.isArray(s.security) && s.security.length === 0);
  // The operator endpoints sit outside the native plugin: no input guard, no token, nothing implied.
  const operator = s.tags?.includes('operations') === true;
  const declared = { ...(s.response as Record<string, unknown> | undefined) };
  const responses = operator ? declared : withErrors(declared, impliedErrors({ method, authenticated }));
  for (const [status, r] of Object.entries(responses)) {
    if (status.startsWith('2')) responses[status] = described(r, `${SUCCESS[status] ?? 'Success'}: ${s.summary ?? 'the result'}`);
  }
  s.response = responses;
  // A WebSocket route answers the upgrade; a refusal comes after it, as a close code.
  // A plain GET (no upgrade) is a bad request.
  if (isSocketRoute(route)) s.response = withErrors({ 101: { type: 'null', description: 'Switching Protocols: the WebSocket is open' } }, ['invalid_argument']);
  const file = route.config?.fileBody;
  if (file) s.body = fileBody(file);
  return { schema: s, url };
}
