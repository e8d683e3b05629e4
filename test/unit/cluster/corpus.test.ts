// Every upstream crm_mon and CIB sample in ../shared/corpus parses, and the model loses nothing the
// XML holds: counts come from an independent regex walk (xmlCount.ts), not from the parser under test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseCib } from '../../../src/core/cluster/cib';
import { parseCrmMon } from '../../../src/core/cluster/crmMon';
import { primitivesOf } from '../../../src/core/cluster/snapshot';
import type { CibResource, ResourceStatus } from '../../../src/core/cluster/types';
import { count, walkTags } from './xmlCount';
import { assertReadAll, CORPUS_DIR, CORPUS_MINIMUM, corpusFiles, corpusSkip } from '../../corpus';

const corpus = CORPUS_DIR;
const SKIP = corpusSkip();

function walkResources(rs: readonly ResourceStatus[], visit: (r: ResourceStatus) => void): void {
  for (const r of rs) {
    visit(r);
    if (r.kind === 'group') walkResources(r.children, visit);
    if (r.kind === 'clone') walkResources(r.instances, visit);
  }
}

const crmMonFiles = corpusFiles('crm_mon', '.xml');
const ROOT = '^(pacemaker-result|crm_mon)';

test('the crm_mon corpus is there: one test per sample below', { skip: SKIP }, () => {
  assertReadAll('crm_mon corpus', crmMonFiles.length, crmMonFiles, CORPUS_MINIMUM.crm_mon);
});

for (const file of crmMonFiles) {
  const name = path.relative(corpus, file);
  test(`crm_mon corpus: ${name} parses without losing nodes, resources or failures`, { skip: SKIP }, () => {
    const xml = readFileSync(file, 'utf8');
    const r = parseCrmMon(xml);
    assert.ok(r.ok, `parse error: ${!r.ok && r.error.message}`);
    const s = r.value;
    const ev = walkTags(xml);

    assert.equal(s.nodes.length, count(ev, 'node', new RegExp(`${ROOT}/nodes$`)), 'cluster nodes');
    // Every primitive instance anywhere under <resources> (clone instances, group members, bundle replicas).
    assert.equal(primitivesOf(s.resources).length, count(ev, 'resource', new RegExp(`${ROOT}/resources(/|$)`)), 'primitive instances');
    // Resources grouped under nodes (--group-by-node) are kept too.
    assert.equal(
      primitivesOf(s.nodes.flatMap((n) => n.resources)).length,
      count(ev, 'resource', new RegExp(`${ROOT}/nodes/node(/|$)`)),
      'resources listed under nodes',
    );
    let clones = 0, groups = 0, bundles = 0, replicas = 0, locations = 0;
    walkResources(s.resources, (x) => {
      if (x.kind === 'clone') clones++;
      if (x.kind === 'group') groups++;
      if (x.kind === 'bundle') {
        bundles++;
        replicas += x.replicas.length;
      }
    });
    for (const p of primitivesOf(s.resources)) locations += p.nodes.length;
    assert.equal(clones, count(ev, 'clone', new RegExp(`${ROOT}/resources(/|$)`)), 'clones');
    assert.equal(groups, count(ev, 'group', new RegExp(`${ROOT}/resources(/|$)`)), 'groups (incl. cloned group instances)');
    assert.equal(bundles, count(ev, 'bundle', new RegExp(`${ROOT}/resources(/|$)`)), 'bundles');
    assert.equal(replicas, count(ev, 'replica', new RegExp(`${ROOT}/resources/`)), 'bundle replicas');
    assert.equal(locations, count(ev, 'node', new RegExp(`${ROOT}/resources/.*resource$`)), 'resource → node placements');

    assert.equal(s.failures.length, count(ev, 'failure', new RegExp(`${ROOT}/failures$`)), 'failed actions');
    assert.equal(s.bans.length, count(ev, 'ban', new RegExp(`${ROOT}/bans$`)), 'bans');
    assert.equal(s.tickets.length, count(ev, 'ticket', new RegExp(`${ROOT}/tickets$`)), 'tickets');
    assert.equal(s.fenceHistory?.length ?? 0, count(ev, 'fence_event', new RegExp(`${ROOT}/fence_history$`)), 'fence events');
    assert.equal(s.history.length, count(ev, 'resource_history', new RegExp(`${ROOT}/node_history/node$`)), 'resource histories');
    assert.equal(
      s.history.reduce((n, h) => n + h.operations.length, 0),
      count(ev, 'operation_history', /resource_history$/),
      'operation histories',
    );
    assert.equal(
      s.nodeAttributes.reduce((n, a) => n + a.attributes.length, 0),
      count(ev, 'attribute', new RegExp(`${ROOT}/node_attributes/node$`)),
      'node attributes',
    );

    // The raw values survive: each resource's role and each node's name as printed (roles normalised).
    const rawRoles = ev.filter((e) => e.name === 'resource' && /\/resources(\/|$)/.test(e.ancestors.join('/'))).map((e) => e.attrs['role']);
    const modelRoles = primitivesOf(s.resources).map((p) => p.role);
    assert.deepEqual(modelRoles, rawRoles.map((x) => (x === 'Master' ? 'Promoted' : x === 'Slave' ? 'Unpromoted' : x)));
    assert.deepEqual(s.nodes.map((n) => n.name), ev.filter((e) => e.name === 'node' && /^(pacemaker-result|crm_mon)\/nodes$/.test(e.ancestors.join('/'))).map((e) => e.attrs['name']));
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

function cibPrimitiveCount(rs: readonly CibResource[]): number {
  let n = 0;
  for (const r of rs) {
    if (r.kind === 'primitive') n++;
    if (r.kind === 'group') n += r.children.length;
    if (r.kind === 'clone' && r.child) n += r.child.kind === 'group' ? r.child.children.length : 1;
    if (r.kind === 'bundle' && r.primitive) n++;
  }
  return n;
}

for (const file of cibFiles) {
  const name = path.relative(corpus, file);
  test(`CIB corpus: ${name} parses with every resource and constraint`, { skip: SKIP }, () => {
    const xml = readFileSync(file, 'utf8');
    const r = parseCib(xml);
    assert.ok(r.ok, `parse error: ${!r.ok && r.error.message}`);
    const c = r.value;
    const ev = walkTags(xml);
    const under = /(^|\/)configuration\/resources(\/|$)/;
    assert.equal(cibPrimitiveCount(c.resources), count(ev, 'primitive', under), 'primitives');
    assert.equal(
      c.resources.filter((x) => x.kind === 'clone').length,
      count(ev, 'clone', under) + count(ev, 'master', under),
      'clones (incl. legacy <master>)',
    );
    assert.equal(
      c.resources.filter((x) => x.kind === 'clone' && x.legacyMaster).length,
      count(ev, 'master', under),
      '<master> elements',
    );
    for (const [type, el] of [['location', 'rsc_location'], ['colocation', 'rsc_colocation'], ['order', 'rsc_order'], ['ticket', 'rsc_ticket']] as const) {
      assert.equal(c.constraints.filter((x) => x.type === type).length, count(ev, el, /configuration\/constraints$/), `${type} constraints`);
    }
    const sets = c.constraints.reduce((n, x) => n + x.sets.length, 0);
    assert.equal(sets, count(ev, 'resource_set', /configuration\/constraints\/rsc_\w+$/), 'resource sets');
    const rules = c.constraints.reduce((n, x) => n + (x.type === 'location' ? x.rules.length : 0), 0);
    assert.equal(rules, count(ev, 'rule', /configuration\/constraints\/rsc_location$/), 'location rules');
    assert.equal(c.nodes.length, count(ev, 'node', /configuration\/nodes$/), 'nodes');
    const ops = (rs: readonly CibResource[]): number => rs.reduce((n, x) =>
      n + (x.kind === 'primitive' ? x.ops.length : x.kind === 'group' ? ops(x.children) : x.kind === 'clone' && x.child ? ops([x.child]) : x.kind === 'bundle' && x.primitive ? x.primitive.ops.length : 0), 0);
    assert.equal(ops(c.resources), count(ev, 'op', /configuration\/resources\/.*primitive\/operations$/), 'operations');
    // Roles are normalised everywhere.
    const json = JSON.stringify(c.constraints) + JSON.stringify(c.resources);
    assert.doesNotMatch(json, /"(role|rscRole|withRscRole)":"(Master|Slave)"/);
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
