// The project's root folder (where package.json, data/ and web/dist are),
// found by walking up from this module rather than by a fixed relative path:
// the same code runs from src/ (TypeScript, development and tests) and from
// the JavaScript bundle in dist/server/ (bin/server-build.mjs), at other depths.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; ) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return join(from, '..');
    dir = up;
  }
}

export const projectRoot = findRoot(dirname(fileURLToPath(import.meta.url)));
