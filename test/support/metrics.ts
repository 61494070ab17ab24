// Reads counters off a test server's /metrics (what an operator scrapes).

import type { TestServer } from './server.ts';

/** parley_internal_errors_total by dialect label (absent labels read as 0 through `of`). */
export async function internalErrors(server: Pick<TestServer, 'url'>): Promise<{ total: number; of: (dialect: string) => number; byDialect: Record<string, number> }> {
  const res = await fetch(new URL('/metrics', server.url));
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  const byDialect: Record<string, number> = {};
  for (const m of (await res.text()).matchAll(/^parley_internal_errors_total\{dialect="(\w+)"\} (\d+)$/gm)) byDialect[m[1]] = Number(m[2]);
  const total = Object.values(byDialect).reduce((a, b) => a + b, 0);
  return { total, of: (d) => byDialect[d] ?? 0, byDialect };
}
