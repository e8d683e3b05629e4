// crm spec files against the real test cluster (read-only: nothing on the cluster changes):
//  - the live CIB (cibadmin -Q) renders as crm text that parses, lints without errors, and compiles back
//    to the same configuration (round trip on a real Pacemaker 2.1.5 CIB);
//  - crmsh 4.4's own `crm configure show` on the node, parsed and compiled by us, gives that configuration too;
//  - Pacemaker on the node (crm_verify --xml-text) accepts what `pcx render` makes of the seed spec file;
//  - `pcx lint --host` checks a spec against the node's own agents (crm_resource --show-metadata).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { child, parseXmlDocument } from '../../src/core/util/xml';
import { cibXmlToCrm, compileCrm, crmToCibXml, lintCrm, parseCrm } from '../../src/core/crm/index';
import { pretty } from '../unit/crm/canonical';
import { requireCluster, sshOk, ssh, SSH_CONFIG, VIP } from './helpers';

const repoRoot = resolve(__dirname, '..', '..');

function configurationOf(xml: string): string {
  const doc = parseXmlDocument(xml, 'CIB');
  assert.ok(doc.ok);
  return pretty(child(doc.value, 'configuration')!);
}

function compiled(text: string): string {
  const doc = parseCrm(text);
  assert.deepEqual(doc.problems, []);
  const x = parseXmlDocument(compileCrm(doc).xml, 'compiled');
  assert.ok(x.ok);
  return pretty(x.value);
}

test('live CIB → crm text → CIB gives the same configuration; the text lints without errors', { timeout: 60_000 }, async () => {
  requireCluster();
  const cib = await sshOk('node1', ['cibadmin', '-Q']);
  const shown = cibXmlToCrm(cib);
  assert.ok(shown.ok);
  assert.deepEqual(shown.value.unsupported, []);
  assert.match(shown.value.text, /^clone redis-clone redis \\$/m);
  assert.equal(compiled(shown.value.text), configurationOf(cib));
  const diags = lintCrm(shown.value.text).diagnostics;
  assert.deepEqual(diags.filter((d) => d.severity === 'error'), []);
  // The seed really runs without fencing and with migration-threshold=1 and no failure-timeout: both are flagged.
  assert.ok(diags.some((d) => d.code === 'crm/stonith-disabled'));
  assert.ok(diags.some((d) => d.code === 'crm/migration-threshold'));
});

test('crmsh\'s own `crm configure show` on the node compiles (by pcx) to the live configuration', { timeout: 60_000 }, async () => {
  requireCluster();
  const [cib, show] = await Promise.all([sshOk('node1', ['cibadmin', '-Q']), sshOk('node1', ['crm', 'configure', 'show'])]);
  assert.match(show, /^node 1: node1$/m); // crmsh's form for corosync node ids
  // crmsh's show leaves out op ids (pcs wrote redis-monitor-interval-5s; crmsh would generate redis-monitor-5s), and
  // the ids of a node's attribute sets: `pcs node standby` + `unstandby` earlier in the run leave node2 an empty
  // <instance_attributes id="nodes-2"> that compiles back as node2-instance_attributes.
  const noOpIds = (x: string): string => x.replace(/(<op) id="[^"]*"/g, '$1').replace(/(<node [^>]*>\n\s*<instance_attributes) id="[^"]*"/g, '$1');
  assert.equal(noOpIds(compiled(show)), noOpIds(configurationOf(cib)));
});

test('crm_verify on the node accepts pcx render of the seed spec file', { timeout: 60_000 }, async () => {
  requireCluster();
  const spec = readFileSync(join(repoRoot, 'test', 'fixtures', 'crm', 'seed.crm'), 'utf8').replace('10.213.0.100', VIP);
  const r = crmToCibXml(spec);
  assert.ok(r.ok);
  const v = await ssh('node1', ['crm_verify', '--xml-text', r.value.xml]);
  assert.doesNotMatch(`${v.stdout}${v.stderr}`, /Errors found|error:/i, `crm_verify: ${v.stdout}${v.stderr}`);
  // …and rejects it when the spec references a resource that does not exist: pcx lint says so first.
  const broken = spec.replace('inf: VIP redis-clone:Promoted', 'inf: VIP redis-clon:Promoted');
  assert.ok(lintCrm(broken).diagnostics.some((d) => d.code === 'crm/ref-missing' && d.severity === 'error'));
  const b = crmToCibXml(broken);
  assert.ok(b.ok);
  const vb = await ssh('node1', ['crm_verify', '--xml-text', b.value.xml]);
  assert.match(`${vb.stdout}${vb.stderr}`, /redis-clon/);
});

test('pcx lint --host node1: the node\'s own agents are checked (ocf:heartbeat:anything needs binfile), one it lacks is named', { timeout: 60_000 }, async () => {
  requireCluster();
  const dir = mkdtempSync(join(tmpdir(), 'pcx-lint-agents-'));
  const spec = join(dir, 'app.crm');
  // anything is not in the bundled data: only the node can say binfile is required.
  writeFileSync(spec, ['primitive app ocf:heartbeat:anything \\', '\tparams pidfile=/run/app.pid \\', '\top monitor interval=10s', 'primitive web ocf:heartbeat:NoSuchAgent \\', '\top monitor interval=10s', 'property stonith-enabled=false', ''].join('\n'));
  const lint = (...extra: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'pcx.ts'), 'lint', ...extra, spec], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  const offline = lint();
  assert.equal(offline.status, 0, offline.stdout + offline.stderr);
  assert.doesNotMatch(offline.stdout, /binfile|not-installed/);
  const live = lint('--ssh-config', SSH_CONFIG, '--host', 'node1');
  assert.equal(live.status, 1, live.stdout + live.stderr);
  assert.match(live.stdout, /app\.crm:1:\d+: error crm\/param-required ocf:heartbeat:anything requires parameter "binfile"/);
  assert.match(live.stdout, /app\.crm:4:\d+: warning crm\/agent-not-installed ocf:heartbeat:NoSuchAgent is not installed on node1 .*Pacemaker cannot start web there/);
  assert.match(live.stderr, /agents from node1: 1 described, 1 not installed/);
});

test('pcx lint --host node1 judges a corosync.conf for the node\'s own corosync -v, and says so (issue 27)', { timeout: 60_000 }, async () => {
  requireCluster();
  const version = /version '([^']+)'/.exec(await sshOk('node1', ['corosync', '-v']))?.[1];
  assert.ok(version, 'corosync -v on node1 printed no version');
  const dir = mkdtempSync(join(tmpdir(), 'pcx-lint-corosync-'));
  const conf = join(dir, 'corosync.conf');
  // A Corosync 2 file as pcs 0.9 writes it: by itself judged 1.x/2.x; the node runs 3.x, so it is judged for that.
  writeFileSync(conf, 'totem {\n    version: 2\n    secauth: off\n    cluster_name: redis-ha\n    transport: udpu\n}\n\nnodelist {\n    node {\n        ring0_addr: node1\n    }\n\n    node {\n        ring0_addr: node2\n    }\n}\n\nquorum {\n    provider: corosync_votequorum\n    two_node: 1\n}\n');
  const lint = (...extra: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'pcx.ts'), 'lint', ...extra, conf], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  const offline = lint();
  assert.match(offline.stderr, /judged for Corosync 1\.x\/2\.x \(from the file: transport udpu, secauth, nodes without nodeid\)/);
  assert.doesNotMatch(offline.stdout, /transport-deprecated/);
  const live = lint('--ssh-config', SSH_CONFIG, '--host', 'node1');
  assert.match(live.stderr, new RegExp(`judged for Corosync ${version.replace(/\./g, '\\.')} \\(corosync -v on node1\\)`), live.stderr);
  assert.match(live.stdout, /corosync\/transport-deprecated/);
});
