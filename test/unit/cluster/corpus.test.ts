// Every upstream crm_mon and CIB sample in ../shared/corpus parses, and the model loses nothing the
// XML holds: counts come from an independent regex walk (xmlCount.ts), not from the parser under test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseCib } from '../../../src/core/cluster/cib';
import { parseCrmMon } from '../../../src/core/cluster/crmMon';
import { primitivesOf } from '../../../src/core/cluster/snapshot';
import { checkCibXml, checkCrmMonXml } from './corpusChecks';
import { assertReadAll, CORPUS_DIR, CORPUS_MINIMUM, corpusFiles, corpusSkip } from '../../corpus';

const corpus = CORPUS_DIR;
const SKIP = corpusSkip();

const crmMonFiles = corpusFiles('crm_mon', '.xml');

test('the crm_mon corpus is there: one test per sample below', { skip: SKIP }, () => {
  assertReadAll('crm_mon corpus', crmMonFiles.length, crmMonFiles, CORPUS_MINIMUM.crm_mon);
});

for (const file of crmMonFiles) {
  const name = path.relative(corpus, file);
  test(`crm_mon corpus: ${name} parses without losing nodes, resources or failures`, { skip: SKIP }, () => {
    checkCrmMonXml(readFileSync(file, 'utf8'));
  });
}

test('crm_mon corpus: the promotable clone is seen as promotable with Promoted and Unpromoted instances', { skip: SKIP }, () => {
  const r = parseCrmMon(readFileSync(path.join(corpus, 'crm_mon', 'pcmk-regression-001.xml'), 'utf8'));
  assert.ok(r.ok);
  const clone = r.value.resources.find((x) => x.id === 'promotable-clone');
  assert.ok(clone && clone.kind === 'clone');
  assert.equal(clone.promotable, true);
  assert.deepEqual(primitivesOf([clone]).map((p) => p.role), ['Promoted', 'Unpromoted', 'Stopped', 'Stopped', 'Stopped']);
  assert.equal(r.value.bans[0]?.id, 'not-on-cluster1');
  assert.equal(r.value.nodes.find((n) => n.name === 'httpd-bundle-0')?.idAsResource, 'httpd-bundle-docker-0');
});

test('crm_mon corpus: the failed action keeps op, node, rc, rc text, status, times', { skip: SKIP }, () => {
  const r = parseCrmMon(readFileSync(path.join(corpus, 'crm_mon', 'pcmk-regression-025.xml'), 'utf8'));
  assert.ok(r.ok);
  assert.deepEqual(r.value.failures[0], {
    opKey: 'dummy-2_monitor_0', resource: 'dummy-2', task: 'monitor', intervalMs: 0, node: 'cluster02',
    exitCode: 3, exitStatus: 'Unimplemented', exitReason: '', status: 'Done', call: '2',
    lastRcChange: undefined, queuedMs: 0, execMs: 33,
  });
});

test('crm_mon corpus: legacy <crm_mon> roots are recognised', { skip: SKIP }, () => {
  for (const f of ['pcs-legacy-2018-crm_mon.minimal.xml', 'pcs-legacy-2019-crm_mon.minimal.xml']) {
    const r = parseCrmMon(readFileSync(path.join(corpus, 'crm_mon', f), 'utf8'));
    assert.ok(r.ok, f);
    assert.equal(r.value.format, 'legacy-crm_mon');
    assert.equal(r.value.summary.dcPresent, false);
  }
});

/* ---------------- CIB corpus ---------------- */

const cibFiles = [...corpusFiles('cib', '.xml'), ...corpusFiles('crm', '.exp.xml')];

test('the CIB corpus is there: one test per CIB below (corpus/cib and crmsh expected outputs)', { skip: SKIP }, () => {
  assertReadAll('CIB corpus', cibFiles.length, cibFiles, CORPUS_MINIMUM.cib + CORPUS_MINIMUM.crmExpectedCib);
});

for (const file of cibFiles) {
  const name = path.relative(corpus, file);
  test(`CIB corpus: ${name} parses with every resource and constraint`, { skip: SKIP }, () => {
    checkCibXml(readFileSync(file, 'utf8'));
  });
}

test('CIB corpus: scheduler inputs with <master> become promotable clones', { skip: SKIP }, () => {
  const r = parseCib(readFileSync(path.join(corpus, 'cib', 'scheduler', 'pcmk-1.1.24-master-colocation.xml'), 'utf8'));
  assert.ok(r.ok);
  const masters = r.value.resources.filter((x) => x.kind === 'clone' && x.legacyMaster);
  assert.ok(masters.length > 0);
  assert.ok(masters.every((m) => m.kind === 'clone' && m.promotable));
});

test('CIB corpus: pcs-cib-all keeps rules with roles, sets, ticket constraints', { skip: SKIP }, () => {
  const r = parseCib(readFileSync(path.join(corpus, 'cib', 'pcs-cib-all.xml'), 'utf8'));
  assert.ok(r.ok);
  const loc = r.value.constraints.find((x) => x.id === 'loc_constr_with_not_expired_rule');
  assert.ok(loc && loc.type === 'location');
  assert.equal(loc.rules[0]?.role, 'Unpromoted');
  assert.equal(loc.rules[0]?.score, 500);
  assert.equal(loc.rules[0]?.text, '#uname eq node1 and date gt 2000-01-01');
  const coloc = r.value.constraints.find((x) => x.id === 'colocation-G1-clone-R6-clone--100');
  assert.ok(coloc && coloc.type === 'colocation');
  assert.deepEqual([coloc.rscRole, coloc.withRscRole, coloc.score], ['Promoted', 'Stopped', -100]);
  const order = r.value.constraints.find((x) => x.id === 'order_set_R6-cloneB2Se');
  assert.ok(order && order.type === 'order');
  assert.deepEqual(order.sets.map((s) => [s.action, s.resources]), [['stop', ['R6-clone', 'B2']], ['promote', ['G1-clone']]]);
  const ticket = r.value.constraints.find((x) => x.id === 'ticket-custom-ticket1-G1-clone-Promoted');
  assert.ok(ticket && ticket.type === 'ticket');
  assert.deepEqual([ticket.ticket, ticket.rscRole, ticket.lossPolicy], ['custom-ticket1', 'Promoted', 'demote']);
});
