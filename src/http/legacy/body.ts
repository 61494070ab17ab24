// The request `data` of the legacy API, in every form a Struts client sends
// it: form fields (groupId=1), a JSON object ({"groupId":"1"}), a JSON or form
// field `data` holding the object or its JSON text, and query parameters.
// Everything becomes one flat object of strings and numbers before validation.

import { fail } from '../../core/errors.ts';
import { parseLenientJson } from '../lenient-json.ts';

type Flat = Record<string, unknown>;

const isObject = (v: unknown): v is Flat => typeof v === 'object' && v !== null && !Array.isArray(v);

export function normalizeData(query: unknown, body: unknown): Flat {
  const out: Flat = {};
  const merge = (src: unknown) => {
    if (!isObject(src)) return;
    for (const [k, v] of Object.entries(src)) {
      if (k === 'data') continue;
      out[k] = Array.isArray(v) ? v[v.length - 1] : v;
    }
  };
  merge(query);
  if (body !== undefined && body !== null && !isObject(body)) throw fail('invalid_argument', 'data must be an object');
  merge(body);
  const data = isObject(body) ? body.data : undefined;
  if (typeof data === 'string') {
    const parsed = parseLenientJson(data);
    if (!isObject(parsed)) throw fail('invalid_argument', 'data must be a JSON object');
    merge(parsed);
  } else if (isObject(data)) merge(data);
  else if (data !== undefined && data !== null) throw fail('invalid_argument', 'data must be an object');
  return out;
}
