// One policy for every reader of a live cluster: crm_mon must parse; a bad CIB degrades to crm_mon-only, with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crmMonChangeKey, parseClusterXml } from '../../../src/core/cluster/live';
import { PcxFailure } from '../../../src/core/util/result';

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

test('a CIB that could not be read (cibadmin refused) keeps the runtime status and carries the failure with its hint', () => {
  // A real PcxFailure (an Error: its message is not an enumerable property).
  const cibFailure = new PcxFailure('sudo-password', 'sudo on node1 wants a password for pcxadmin to run cibadmin', 'Add to sudoers on node1 …', 'node1');
  const r = parseClusterXml({ host: 'node1', crmMonXml, cibFailure });
  assert.ok(r.ok);
  assert.equal(r.value.cib, undefined);
  assert.deepEqual({ ...r.value.cibProblem }, { code: 'sudo-password', message: cibFailure.message, hint: cibFailure.hint, host: 'node1' });
  assert.equal(r.value.crmMon.nodes.length, 2);
});

test('crmMonChangeKey: the same state read twice (other last_update time) → same key; a changed role → another key', () => {
  const again = crmMonXml
    .replace(/<last_update time="[^"]*"/, '<last_update time="Tue Dec  1 23:59:59 2099"')
    .replace(/(<pacemakerd [^>]*last_updated=")[^"]*"/, '$12099-12-01 23:59:59Z"');
  assert.match(crmMonXml, /<pacemakerd [^>]*last_updated=/);
  assert.notEqual(again, crmMonXml);
  assert.equal(crmMonChangeKey(again), crmMonChangeKey(crmMonXml));
  assert.match(crmMonChangeKey(crmMonXml), /^crm_mon:[0-9a-f]{32}$/);
  const changed = crmMonXml.replace('role="Promoted"', 'role="Unpromoted"');
  assert.notEqual(changed, crmMonXml);
  assert.notEqual(crmMonChangeKey(changed), crmMonChangeKey(crmMonXml));
});
