// Failure codes are one typed union (src/core/util/failures.ts): PcxFailure and PcxError accept nothing else (tsc
// enforces it), every listed code is really used somewhere in src/, and each is spelled the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FAILURE_CODES, REQUEST_VERDICTS } from '../../../src/core/util/failures';

const root = join(__dirname, '..', '..', '..');
const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : n.endsWith('.ts') ? [join(dir, n)] : []));

test('every failure code is used in src/, once listed, in kebab case (or the dotted corosync.format ones)', () => {
  const src = files(join(root, 'src')).filter((f) => !f.endsWith('failures.ts')).map((f) => readFileSync(f, 'utf8')).join('\n');
  const unused = FAILURE_CODES.filter((c) => !src.includes(`'${c}'`));
  assert.deepEqual(unused, [], 'codes listed but never used');
  assert.equal(new Set(FAILURE_CODES).size, FAILURE_CODES.length, 'no code listed twice');
  for (const c of FAILURE_CODES) assert.match(c, /^[a-z0-9]+([.-][a-z0-9]+)*$/, c);
  for (const v of REQUEST_VERDICTS) assert.ok((FAILURE_CODES as readonly string[]).includes(v), v);
  assert.ok(FAILURE_CODES.length >= 100, `${FAILURE_CODES.length} codes`);
});
