// One policy for every reader of a live cluster: crm_mon must parse; a bad CIB degrades to crm_mon-only, with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseClusterXml } from '../../../src/core/cluster/live';

const live = join(__dirname, '..', '..', 'fixtures', 'live');
const crmMonXml = readFileSync(join(live, 'healthy.crm_mon.xml'), 'utf8');
const cibXml = readFileSync(join(live, 'healthy.cib.xml'), 'utf8');

test('both parse: status and configuration, no problem', () => {
  const r = parseClusterXml({ host: 'node1', crmMonXml, cibXml });
  assert.ok(r.ok);
  assert.ok(r.value.cib);
  assert.equal(r.value.cibProblem, undefined);
  assert.deepEqual(r.value.crmMon.nodes.map((n) => n.name), ['node1', 'node2']);
});

test('a truncated CIB keeps the runtime status and says why the configuration is missing', () => {
  const r = parseClusterXml({ host: 'node1', crmMonXml, cibXml: cibXml.slice(0, cibXml.length / 2) });
  assert.ok(r.ok);
  assert.equal(r.value.cib, undefined);
  assert.equal(r.value.cibProblem?.host, 'node1');
  assert.equal(r.value.crmMon.nodes.length, 2);
});

test('a truncated crm_mon is an error naming the host', () => {
  const r = parseClusterXml({ host: 'node2', crmMonXml: crmMonXml.slice(0, 200), cibXml });
  assert.ok(!r.ok);
  assert.equal(r.error.host, 'node2');
});
