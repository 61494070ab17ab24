// Every document holds the shared schemas of the whole server (Fastify keeps
// them in one place); each keeps only those its own operations refer to.

type Json = Record<string, unknown>;

const PREFIX = '#/components/schemas/';

function refsIn(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) refsIn(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(PREFIX)) out.add(v.slice(PREFIX.length));
      else refsIn(v, out);
    }
  }
}

export function pruneUnusedSchemas(doc: Json): Json {
  const components = doc.components as { schemas?: Json } | undefined;
  const schemas = components?.schemas;
  if (!schemas) return doc;
  const used = new Set<string>();
  refsIn(doc.paths, used);
  // Schemas refer to schemas: follow until nothing new turns up.
  const queue = [...used];
  while (queue.length > 0) {
    const found = new Set<string>();
    refsIn(schemas[queue.pop() as string], found);
    for (const name of found) if (!used.has(name)) (used.add(name), queue.push(name));
  }
  const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
  return { ...doc, components: { ...components, schemas: kept } };
}
