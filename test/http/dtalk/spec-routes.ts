// Reads the 40 routes out of dtalk-app-api.md itself (`- Url: /path` under
// `### N. "title"`), so the coverage test cannot forget one. The document is
// found in ../shared/spec beside the repository (CI's layout) or further up;
// PARLEY_SPEC_DIR overrides.

import { existsSync, readFileSync } from 'node:fs';

function specDir(): URL {
  const env = process.env.PARLEY_SPEC_DIR;
  if (env) return new URL(`file://${env.endsWith('/') ? env : `${env}/`}`);
  for (let up = '../../../../'; up.length < 3 * 14; up += '../') {
    const dir = new URL(`${up}shared/spec/`, import.meta.url);
    if (existsSync(new URL('dtalk-app-api.md', dir))) return dir;
  }
  throw new Error('shared/spec not found beside the repository (set PARLEY_SPEC_DIR)');
}

export interface DtalkSpecRoute {
  section: number;
  title: string;
  path: string;
}

export function dtalkRoutes(): DtalkSpecRoute[] {
  const out: DtalkSpecRoute[] = [];
  let section = 0;
  let title = '';
  for (const line of readFileSync(new URL('dtalk-app-api.md', specDir()), 'utf8').split('\n')) {
    const h = /^### (\d+)\. "(.*)"\s*$/.exec(line);
    if (h) {
      section = Number(h[1]);
      title = h[2];
    }
    const u = /^- Url: (\/\S+)\s*$/.exec(line);
    if (u && section) out.push({ section, title, path: u[1] });
  }
  return out;
}
