// Reads the route tables out of the API documents themselves, so a test can
// prove every documented route and verb is served: nothing can be forgotten.
// CI checks the repository out with shared/ beside it (../shared/spec).

import { existsSync, readFileSync } from 'node:fs';

/**
 * ../shared/spec beside the repository (CI's layout); a worktree nested deeper
 * finds it further up, so the nearest ancestor holding shared/spec wins.
 */
function findSpecDir(): URL {
  const env = process.env.PARLEY_SPEC_DIR;
  if (env) return new URL(`file://${env.endsWith('/') ? env : `${env}/`}`);
  for (let up = '../../../'; up.length < 3 * 12; up += '../') {
    const dir = new URL(`${up}shared/spec/`, import.meta.url);
    if (existsSync(new URL('lanying-group-api.md', dir))) return dir;
  }
  throw new Error('shared/spec not found beside the repository (set PARLEY_SPEC_DIR)');
}

export const specDir = findSpecDir();

export interface SpecRoute {
  dialect: 'lanying' | 'xim' | 'legacy';
  /** The section of the document that defines it. */
  section: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
}

const read = (name: string) => readFileSync(new URL(name, specDir), 'utf8');

/** lanying-group-api.md: `## 4.N title{#anchor}` then one `> VERB /path` line per verb. */
export function lanyingRoutes(): SpecRoute[] {
  const out: SpecRoute[] = [];
  let section = '';
  for (const line of read('lanying-group-api.md').split('\n')) {
    const h = /^## (\d+\.\d+)\s/.exec(line);
    if (h) section = h[1];
    const r = /^> (GET|POST|PUT|DELETE) (\/\S+)\s*$/.exec(line);
    if (r && section) out.push({ dialect: 'lanying', section, method: r[1] as SpecRoute['method'], path: r[2] });
  }
  return out;
}

/** xim-group-api.md: `## GET /med.xim.Group/Method`. */
export function ximRoutes(): SpecRoute[] {
  const out: SpecRoute[] = [];
  for (const line of read('xim-group-api.md').split('\n')) {
    const r = /^## (GET|POST) (\/med\.xim\.Group\/\w+)\s*$/.exec(line);
    if (r) out.push({ dialect: 'xim', section: r[2].split('/').pop() ?? '', method: r[1] as SpecRoute['method'], path: r[2] });
  }
  return out;
}

/** legacy-group-api.md: `### N.title`, `url: http://website/chat/...`, `method: post`. */
export function legacyRoutes(): SpecRoute[] {
  const out: SpecRoute[] = [];
  let section = '';
  let path = '';
  for (const line of read('legacy-group-api.md').split('\n')) {
    const h = /^### (\d+)\./.exec(line);
    if (h) section = h[1];
    const u = /^url:\s*https?:\/\/website(\/\S+)\s*$/.exec(line);
    if (u) path = u[1];
    const m = /^method:\s*(\w+)\s*$/i.exec(line);
    if (m && path) {
      out.push({ dialect: 'legacy', section, method: m[1].toUpperCase() as SpecRoute['method'], path });
      path = '';
    }
  }
  return out;
}

export const allSpecRoutes = (): SpecRoute[] => [...lanyingRoutes(), ...ximRoutes(), ...legacyRoutes()];
