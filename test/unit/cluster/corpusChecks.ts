/**
 * The corpus checks of a crm_mon document and of a CIB, shared by the corpus tests (test/unit/cluster/corpus.test.ts)
 * and the whole scheduler suite (test/unit/crm/scheduler-full.test.ts): the model loses nothing the XML holds,
 * counted by an independent regex walk (xmlCount.ts), not by the parser under test. Each throws an
 * AssertionError naming what was lost.
 */
import assert from 'node:assert/strict';
import { parseCib } from '../../../src/core/cluster/cib';
import { parseCrmMon } from '../../../src/core/cluster/crmMon';
import { primitivesOf } from '../../../src/core/cluster/snapshot';
import type { CibResource, ResourceStatus } from '../../../src/core/cluster/types';
import { count, walkTags } from './xmlCount';

const ROOT = '^(pacemaker-result|crm_mon)';

function walkResources(rs: readonly ResourceStatus[], visit: (r: ResourceStatus) => void): void {
  for (const r of rs) {
    visit(r);
    if (r.kind === 'group') walkResources(r.children, visit);
    if (r.kind === 'clone') walkResources(r.instances, visit);
  }
}

/** crm_mon XML parses without losing nodes, resources, failures, history or attributes. */
export function checkCrmMonXml(xml: string): void {
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
}

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

/** A CIB parses with every resource, constraint, node and operation. */
export function checkCibXml(xml: string): void {
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
}
