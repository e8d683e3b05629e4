// Hostile text from a cluster or a file through every tooltip, hover and completion-documentation builder: what
// renders (markdown-it with GFM autolinks, as in VS Code's hovers) holds no link, image, heading, emphasis, HTML
// or theme icon the text brought, and the text itself is still there to read (issue 29 §2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCib } from '../../../src/core/cluster/cib';
import { parseCrmMon } from '../../../src/core/cluster/crmMon';
import { assessHealth } from '../../../src/core/cluster/health';
import { buildSnapshot } from '../../../src/core/cluster/snapshot';
import type { CloneStatus } from '../../../src/core/cluster/types';
import { hoverCorosync } from '../../../src/core/corosync/language';
import { completeCrm, hoverCrm } from '../../../src/core/crm/language';
import { mdCode, mdEscape, mdWithCode, table } from '../../../src/core/text/markdown';
import { buildClusterTree, configProblemNode, type ExplorerNode } from '../../../src/core/explorer/tree';
import { redisService } from '../../../src/core/workload/redis/service';
import { replicationReasons, serviceView } from '../../../src/core/workload/replication';
import { withWorkload } from '../../../src/core/workload/report';
import type { WorkloadReport } from '../../../src/core/workload/types';
import { assertInert, HOSTILE, mdHtml, mdText } from './markdownText';

const xmlAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
const live = join(__dirname, '..', '..', 'fixtures', 'live');
const H = xmlAttr(HOSTILE);

function hostileSnapshot() {
  const mon = readFileSync(join(live, 'failed-action.crm_mon.xml'), 'utf8')
    .replace('exitreason=""', `exitreason="${H}"`)
    .replace('<attribute name="master-redis" value="2"/>', `<attribute name="master-redis" value="2"/><attribute name="${H}" value="${H}"/>`);
  const cib = readFileSync(join(live, 'failed-action.cib.xml'), 'utf8')
    .replace('<node id="2" uname="node2"/>', `<node id="2" uname="node2"><instance_attributes id="n2"><nvpair id="n2-site" name="site" value="${H}"/></instance_attributes></node>`)
    .replace('<cluster_property_set id="cib-bootstrap-options">', `<cluster_property_set id="cib-bootstrap-options"><nvpair id="h-prop" name="${H}" value="${H}"/>`)
    .replace('timeout="120s" id="redis-demote-interval-0s"', `timeout="${H}" id="redis-demote-interval-0s"`)
    .replace('role="Promoted" id="redis-monitor-interval-3s"', `role="${H}" id="redis-monitor-interval-3s"`)
    .replace('name="ip" value="10.213.0.100"', `name="ip" value="${H}"`);
  const m = parseCrmMon(mon);
  const c = parseCib(cib);
  assert.ok(m.ok && c.ok, 'the hostile fixtures parse');
  return buildSnapshot(m.value, c.value);
}

function walk(n: ExplorerNode): ExplorerNode[] {
  return [n, ...n.children.flatMap(walk)];
}

test('mdEscape: every ASCII punctuation becomes a character reference; newlines and controls go; the text reads the same', () => {
  const e = mdEscape(HOSTILE);
  assert.doesNotMatch(e.replace(/&#\d+;/g, ''), /[!-/:-@[-`{-~]/, 'no raw punctuation outside character references');
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(e, /[\n\r\u0000-\u001f\u0085\u202e]/);
  assert.equal(mdText(e).replace(/\u200b/g, ''), HOSTILE.replace(/\n/g, ' '));
  assert.equal(mdText(mdEscape('a\u001b[2J\u0085b\u202ec')), 'a\ufffd[2J\ufffdb\ufffdc');
  for (const md of [e, mdCode(HOSTILE), mdWithCode(HOSTILE), mdWithCode('`a` b `c'), table([[HOSTILE, HOSTILE]])]) assertInert(md, 'escape function');
  // A table keeps its shape: one header, one separator, one row of two cells.
  assert.equal((mdHtml(table([[HOSTILE, HOSTILE]])).match(/<td>/g) ?? []).length, 2);
});

test('the check can fail: today\'s escape (no $ : ~ & < > or newline) lets the hostile value through', () => {
  const old = (s: string): string => s.replace(/([\\`*_{}[\]()#+\-.!|<>])/g, '\\$1');
  assert.throws(() => assertInert(`| k | ${old(HOSTILE)} |`, 'old escape'));
  assert.throws(() => assertInert(`\`${HOSTILE}\``, 'raw code span'));
});

test('every tooltip of a tree built from hostile node attributes, properties, ops, exit reason and params is inert', () => {
  const snapshot = hostileSnapshot();
  const health = assessHealth(snapshot);
  const tree = buildClusterTree({ name: 'c', hosts: ['node1', 'node2'], snapshot, host: 'node1', updatedAt: '12:00:00', health });
  const tips = walk(tree).filter((n) => n.tooltip);
  assert.ok(tips.length >= 20, `tooltips: ${tips.length}`);
  for (const n of tips) assertInert(n.tooltip!, n.id);
  // The hostile values are there, as text, in the rows they belong to.
  const text = (id: RegExp): string => mdText(tips.find((n) => id.test(n.id))?.tooltip ?? '');
  assert.ok(text(/node\/node2\/attr\/p\/site$/).includes('Cluster verified OK'), 'the node attribute site is shown');
  assert.ok(text(/failure\//).includes('Open runbook'), 'the exit reason is shown');
  assert.ok(text(/resource\/redis-clone$/).includes('pass-filled'), 'the op timeout/role are shown');
  const shown = tips.filter((n) => mdText(n.tooltip!).includes('Cluster verified OK')).length;
  assert.ok(shown >= 6, `hostile text shown as text in ${shown} tooltips`);
  assertInert(configProblemNode(0, { code: 'x', message: HOSTILE, hint: HOSTILE }).tooltip!, 'config problem');
});

test('workload tooltips: a Redis master_host and fix texts with hostile text are inert', () => {
  const m = parseCrmMon(readFileSync(join(live, 'healthy.crm_mon.xml'), 'utf8'));
  const c = parseCib(readFileSync(join(live, 'healthy.cib.xml'), 'utf8'));
  assert.ok(m.ok && c.ok);
  const healthy = buildSnapshot(m.value, c.value);
  const clone = healthy.resources.find((r) => r.kind === 'clone') as CloneStatus;
  const obs = new Map([
    ['node1', { kind: 'read' as const, replication: { role: 'primary' as const, offset: 100, replicas: [] } }],
    ['node2', { kind: 'read' as const, replication: { role: 'replica' as const, sourceHost: HOSTILE, sourcePort: 6379, linkUp: false, offset: 1 } }],
  ]);
  const view = serviceView(redisService, clone, 'redis', 6379, obs, new Map([['node1', ['10.213.0.11']], ['node2', ['10.213.0.12']]]));
  const reasons = replicationReasons(redisService, view, { lagThresholdBytes: 1000, passwordHint: HOSTILE });
  assert.ok(reasons.some((r) => (r.fix ?? '').includes('Open runbook')), `a fix text holds master_host: ${JSON.stringify(reasons)}`);
  const report: WorkloadReport = { services: [view], vips: [], reasons, nodes: [], ms: 1 };
  const tree = buildClusterTree({ name: 'c', hosts: ['node1'], snapshot: healthy, workload: report, health: withWorkload(assessHealth(healthy), report) });
  const tips = walk(tree).filter((n) => n.tooltip);
  const withHost = tips.filter((n) => mdText(n.tooltip!).includes('Open runbook'));
  assert.ok(withHost.length >= 2, `master_host shown in the cluster and the instance tooltips: ${withHost.map((n) => n.id).join(', ')}`);
  for (const n of tips) assertInert(n.tooltip!, n.id);
});

test('crm and corosync hovers and completion documentation: hostile file text and agent metadata are inert', () => {
  const agents = new Map([['ocf:evil:x', {
    shortdesc: HOSTILE, longdesc: `${HOSTILE}\n\n${HOSTILE}`,
    parameters: [{ name: 'p', shortdesc: HOSTILE, longdesc: HOSTILE, type: HOSTILE, default: HOSTILE, required: false, unique: false, deprecated: false }],
    actions: [{ name: 'start', timeout: HOSTILE, role: HOSTILE }],
  }]]);
  const text = 'primitive r ocf:evil:x params p=1 op start timeout=1\nclone c r meta x=y\ncolocation k inf: c missing_`$(pass-filled)`\n';
  const lines = text.split('\n');
  const at = (line: number, needle: string) => ({ line, character: lines[line]!.indexOf(needle) + 1 });
  const opts = { agents } as unknown as Parameters<typeof hoverCrm>[2];
  const hovers = [hoverCrm(text, at(0, 'ocf:evil'), opts), hoverCrm(text, at(0, 'p=1'), opts), hoverCrm(text, at(0, 'start'), opts)];
  for (const [i, h] of hovers.entries()) {
    assert.ok(h, `hover ${i}`);
    assertInert(h.markdown, `crm hover ${i}`);
    assert.ok(mdText(h.markdown).includes('Cluster verified OK'), `hover ${i} shows the metadata as text`);
  }
  const docs = completeCrm('primitive r ocf:evil:x params ', { line: 0, character: 30 }, opts).filter((i) => i.documentation);
  assert.ok(docs.length >= 1, 'a documented parameter completion');
  for (const d of docs) assertInert(d.documentation!, `completion ${d.label}`);
  const cs = `totem {\n    ${'[x](https://evil.example/r)'}: 1\n}\n`;
  const h = hoverCorosync(cs, { line: 1, character: 6 });
  assert.ok(h, 'corosync hover on an unknown key');
  assertInert(h.markdown, 'corosync hover');
});
