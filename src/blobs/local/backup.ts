// Copies of the local blob directory for `parley backup` / `parley restore`.
// Objects are immutable once renamed into place (local-blobs.ts), so copying
// them file by file while the server runs gives whole files; bytes still in
// flight (tmp/) are left out.

import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const IN_FLIGHT = 'tmp';

export function copyBlobDir(from: string, to: string): { files: number; bytes: number } {
  mkdirSync(to, { recursive: true });
  if (!existsSync(from)) return { files: 0, bytes: 0 };
  let files = 0;
  let bytes = 0;
  cpSync(from, to, {
    recursive: true,
    force: true,
    filter: (src) => {
      const rel = relative(from, src);
      if (rel === IN_FLIGHT || rel.startsWith(IN_FLIGHT + sep)) return false;
      const st = statSync(src);
      if (st.isFile()) {
        files += 1;
        bytes += st.size;
      }
      return true;
    },
  });
  return { files, bytes };
}

/** Files under a directory (a restore's target must hold none unless forced). */
export function countFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) n += 1;
  return n;
}

export const blobDirOf = (dir: string) => join(dir, 'blobs');
