// Each dialect maps every core error code exactly once, onto a code of its own
// documented table (the Record types make the maps complete at compile time;
// this proves it at run time and checks the targets).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allErrorCodes } from '../../../src/core/errors.ts';
import { LanyingCode, lanyingCode } from '../../../src/http/lanying/errors.ts';
import { legacyInfo } from '../../../src/http/legacy/errors.ts';
import { XimCode, ximCode, ximCodeText } from '../../../src/http/xim/errors.ts';

test('lanying maps every core code onto a documented Lanying code', () => {
  const documented = new Set<number>(Object.values(LanyingCode));
  assert.deepEqual(Object.keys(lanyingCode).sort(), [...allErrorCodes].sort());
  for (const code of allErrorCodes) assert.ok(documented.has(lanyingCode[code]) && lanyingCode[code] !== 200, code);
  assert.equal(lanyingCode.group_not_found, 20001);
  assert.equal(lanyingCode.owner_cannot_leave, 20004);
  assert.equal(lanyingCode.group_admin_required, 20012);
  assert.equal(lanyingCode.already_group_member, 20017);
  assert.equal(lanyingCode.blocked_from_group, 20018);
  assert.equal(lanyingCode.qr_code_invalid, 20024);
  assert.equal(lanyingCode.qr_code_expired, 20025);
  assert.equal(lanyingCode.unauthenticated, 10008);
});

test('xim maps every core code onto a registry code with a text', () => {
  assert.deepEqual(Object.keys(ximCode).sort(), [...allErrorCodes].sort());
  const documented = new Set<number>(Object.values(XimCode));
  for (const code of allErrorCodes) {
    assert.ok(documented.has(ximCode[code]) && ximCode[code] !== 0, code);
    assert.ok(ximCodeText[ximCode[code]], code);
  }
});

test('legacy has a reason text for every core code', () => {
  assert.deepEqual(Object.keys(legacyInfo).sort(), [...allErrorCodes].sort());
  for (const code of allErrorCodes) assert.ok(legacyInfo[code].length > 0, code);
});
