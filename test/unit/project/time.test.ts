// The one time formatter (src/core/util/time.ts): every spelling of a cluster time reads as the same moment, shown the
// same way; epoch-valued attributes as times; fail counts in words; and no other place in src/ formats a time for
// people by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { attributeValueText, clockTime, clusterTimeText, dateTime, dateTimeWithZone, failCountText, parseClusterTime, zoneName } from '../../../src/core/util/time';

const root = join(__dirname, '..', '..', '..');
const T = Date.UTC(2026, 11, 7, 14, 38, 4, 513);

test('crm_mon, Pacemaker 1.1 and epoch spellings of one moment parse to the same time', () => {
  for (const s of ['2026-12-07 14:38:04Z', '2026-12-07T14:38:04Z', '2026-12-07 15:38:04+01:00', 'Mon Dec  7 14:38:04 2026', String(Math.floor(T / 1000))]) {
    assert.equal(parseClusterTime(s), Math.floor(T / 1000) * 1000, s);
  }
  assert.equal(parseClusterTime('soon'), undefined);
  assert.equal(clusterTimeText('soon'), 'soon');
});

test('one format: 24-hour, year first; UTC when asked; the zone said by name', () => {
  assert.equal(dateTime(T, true), '2026-12-07 14:38:04');
  assert.equal(clockTime(T, true), '14:38:04.513');
  assert.equal(clockTime(T, true, false), '14:38:04');
  assert.equal(zoneName(true), 'UTC');
  assert.equal(dateTimeWithZone(T, true), '2026-12-07 14:38:04 UTC');
  assert.match(zoneName(false, T), /^UTC([+-]\d{2}:\d{2})?$/);
  assert.match(dateTime(T), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
});

test('epoch-valued attributes are shown as times, other values as they are; counts in words', () => {
  assert.equal(attributeValueText('last-lrm-refresh', '1796654346', ), dateTime(1796654346 * 1000));
  assert.equal(attributeValueText('no-quorum-policy', '1796654346'), '1796654346');
  assert.equal(attributeValueText('last-lrm-refresh', 'yesterday'), 'yesterday');
  assert.equal(failCountText(2, 1), 'failed 2 times; migration-threshold 1');
  assert.equal(failCountText(1), 'failed once');
  assert.equal(failCountText(1_000_000, 1_000_000), 'failed INFINITY times (a failed start or stop); migration-threshold INFINITY');
});

test('no file in src/ formats a time for people by itself (toLocale*String, toTimeString, toUTCString)', () => {
  const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : n.endsWith('.ts') ? [join(dir, n)] : []));
  const offenders = files(join(root, 'src'))
    .filter((f) => /\.(toLocaleString|toLocaleTimeString|toLocaleDateString|toTimeString|toUTCString|toDateString)\(/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(root, f));
  assert.deepEqual(offenders, []);
});
