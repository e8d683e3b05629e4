// Real captures from the test cluster (test/fixtures/live, made by the cluster engineer): whatever
// lands there must parse, and the model must hold what crm_mon's own XML holds (independent walk).
// State-specific checks (e.g. "failed-action state → failed redis demote on node1") belong here once
// the captures and their naming exist; until then this guards every capture generically.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseCib } from '../../../src/core/cluster/cib';
import { parseCrmMon } from '../../../src/core/cluster/crmMon';
import { assessHealth } from '../../../src/core/cluster/health';
import { buildSnapshot, primitivesOf } from '../../../src/core/cluster/snapshot';
import { count, walkTags } from './xmlCount';

const liveDir = path.join(__dirname, '..', '..', 'fixtures', 'live');
const files = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir).flatMap((f) => (statSync(path.join(dir, f)).isDirectory() ? files(path.join(dir, f)) : f.endsWith('.xml') ? [path.join(dir, f)] : [])) : [];
const captures = files(liveDir);

test('live captures present', { skip: captures.length ? false : 'test/fixtures/live has no captures yet' }, () => {
  assert.ok(captures.length > 0);
});

for (const file of captures) {
  const xml = readFileSync(file, 'utf8');
  const root = /<(pacemaker-result|crm_mon|cib)[\s>]/.exec(xml)?.[1];
  test(`live capture ${path.relative(liveDir, file)} parses and loses nothing`, () => {
    if (root === 'cib') {
      const r = parseCib(xml);
      assert.ok(r.ok, !r.ok ? r.error.message : '');
      return;
    }
    const r = parseCrmMon(xml);
    if (!r.ok) {
      // A capture of a stopped node is a legitimate state: it must be the named error, not a parse failure.
      assert.equal(r.error.code, 'pacemaker-not-running', r.error.message);
      return;
    }
    const ev = walkTags(xml);
    const ROOT = '^(pacemaker-result|crm_mon)';
    assert.equal(r.value.nodes.length, count(ev, 'node', new RegExp(`${ROOT}/nodes$`)));
    assert.equal(primitivesOf(r.value.resources).length, count(ev, 'resource', new RegExp(`${ROOT}/resources(/|$)`)));
    assert.equal(r.value.failures.length, count(ev, 'failure', new RegExp(`${ROOT}/failures$`)));
    const h = assessHealth(buildSnapshot(r.value));
    assert.ok(h.verdict === 'healthy' || h.verdict === 'degraded');
    if (r.value.failures.length > 0) assert.equal(h.verdict, 'degraded');
  });
}
