// The repository carries everything its code, tests and docs need: nothing
// reads or points at a planning folder beside the checkout (a user's clone
// has none). .ci/run proves it by testing a fresh clone; this names the file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
// Spelled in pieces so that this file does not match itself.
const OUTSIDE = [['..', 'shared'].join('/'), ['shared', 'spec'].join('/'), ['PARLEY', 'SPEC', 'DIR'].join('_')];

test('no committed file reads or links a folder outside the repository', () => {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter((f) => /\.(ts|js|mjs|json|md|sh|yml|yaml)$|^\.ci\//.test(f) && f !== 'package-lock.json');
  assert.ok(files.length > 100, `git ls-files listed ${files.length} files`);
  const offenders = files.flatMap((f) => {
    const text = readFileSync(new URL(f, root), 'utf8');
    return OUTSIDE.filter((s) => text.includes(s)).map((s) => `${f}: ${s}`);
  });
  assert.deepEqual(offenders, []);
});
