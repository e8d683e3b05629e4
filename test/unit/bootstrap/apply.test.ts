// pcx apply's wanted CIB: the live CIB (the seed fixture) with only what differs from the spec spliced in, so
// that crm_diff between the two — Pacemaker's own diff, the oracle here — names exactly the changed elements;
// and which corosync.conf keys Corosync reloads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compileCrm } from '../../../src/core/crm/compile';
import { parseCrm } from '../../../src/core/crm/parser';
import { pullSpec } from '../../../src/core/bootstrap/pull';
import { specDrift } from '../../../src/core/bootstrap/drift';
import { wantedCib } from '../../../src/core/bootstrap/wantedCib';
import { corosyncReloads } from '../../../src/core/bootstrap/apply';
import { parseXmlRanges, descendants, textOf } from '../../../src/core/bootstrap/xmlSplice';

const seed = readFileSync(resolve(__dirname, '..', 'explorer', 'fixtures', 'cib-seed.xml'), 'utf8');
const configuration = (cib: string) => /<configuration>[\s\S]*<\/configuration>/.exec(cib)![0];
/** The spec a user gets from `pcx pull` of the seed cluster. */
const seedSpec = pullSpec('', configuration(seed)).text;
const compile = (spec: string) => compileCrm(parseCrm(spec)).xml;
const elementText = (cib: string, id: string) => {
  const n = descendants(parseXmlRanges(cib)).find((e) => e.attrs.get('id') === id);
  return n ? textOf(cib, n) : undefined;
};

/** crm_diff's change paths between two CIBs (undefined when crm_diff is not installed). */
function crmDiffPaths(a: string, b: string): string[] | undefined {
  if (!existsSync('/usr/sbin/crm_diff')) {
    assert.notEqual(process.env.CI, 'true', 'crm_diff (pacemaker-cli-utils) must be installed in CI: scripts/setup.sh installs it');
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'pcx-apply-test-'));
  try {
    writeFileSync(join(dir, 'a.xml'), a);
    writeFileSync(join(dir, 'b.xml'), b);
    const r = spawnSync('/usr/sbin/crm_diff', ['--no-version', '-o', join(dir, 'a.xml'), '-n', join(dir, 'b.xml')], { encoding: 'utf8' });
    assert.ok(r.status === 0 || r.status === 1, `crm_diff: ${r.stderr}`);
    const attrs = [...r.stdout.matchAll(/<change-attr name="([^"]*)"/g)].map((m) => `  attr ${m[1]}`);
    return [...[...r.stdout.matchAll(/<change operation="(\w+)" path="([^"]*)"/g)].map((m) => `${m[1]} ${m[2]!.replace(/&apos;/g, "'")}`), ...attrs];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a spec pulled from the live CIB wants no change: the wanted CIB is the live one, byte for byte', () => {
  const w = wantedCib(seed, compile(seedSpec));
  assert.deepEqual(w.changes, []);
  assert.equal(w.xml, seed);
});

test('a changed op and a changed default: only the redis primitive and one nvpair change (crm_diff agrees), and the drift is gone', () => {
  const spec = seedSpec.replace(/op monitor interval=5s/, 'op monitor interval=7s').replace(/migration-threshold=1/, 'migration-threshold=3');
  assert.notEqual(spec, seedSpec);
  const want = compile(spec);
  const w = wantedCib(seed, want);
  assert.deepEqual(w.changes.map((c) => `${c.action} ${c.what}`), ['replace primitive redis', 'set rsc_defaults migration-threshold']);
  // What did not change is kept as Pacemaker wrote it: the VIP, the clone's meta attributes, the colocation.
  for (const id of ['VIP', 'redis-clone-meta_attributes', 'colocation-VIP-redis-clone-INFINITY', 'cib-bootstrap-options']) assert.equal(elementText(w.xml, id), elementText(seed, id), id);
  assert.deepEqual(specDrift('spec.crm', spec, want, w.xml), [], 'no drift left once the wanted CIB is live');
  const paths = crmDiffPaths(seed, w.xml);
  if (paths) {
    assert.ok(paths.length > 0, 'crm_diff sees a change');
    assert.deepEqual(paths.map((p) => p.replace(/^modify .*\/(\w+)\[@id='([^']*)'\]$/, 'modify $1 $2')), [
      'modify op redis-monitor-interval-5s',
      'modify nvpair build-migration-threshold',
      '  attr interval',
      '  attr value',
    ], `crm_diff changes the op's interval and the default's value, nothing else: ${paths.join('\n')}`);
    assert.ok(!paths.some((p) => /VIP|rsc_colocation|status/.test(p)), paths.join('\n'));
  }
  assert.deepEqual(wantedCib(w.xml, want).changes, [], 'applying twice changes nothing more');
});

test('a new resource and constraint are created, a constraint gone from the spec is deleted, a new property is added to the existing set', () => {
  const spec = seedSpec.replace(/^colocation .*$/m, 'colocation VIP-with-redis inf: VIP redis-clone:Promoted') + 'primitive extra ocf:heartbeat:Dummy\norder extra-after-VIP Mandatory: VIP extra\nproperty no-quorum-policy=stop\n';
  const want = compile(spec);
  const w = wantedCib(seed, want);
  assert.deepEqual(w.changes.map((c) => `${c.action} ${c.what}`).sort(), [
    'create colocation VIP-with-redis',
    'create order extra-after-VIP',
    'create primitive extra',
    'delete colocation colocation-VIP-redis-clone-INFINITY',
    'set property no-quorum-policy',
  ]);
  assert.match(elementText(w.xml, 'cib-bootstrap-options')!, /<nvpair id="cib-bootstrap-options-no-quorum-policy" name="no-quorum-policy" value="stop"\/>/);
  assert.equal(elementText(w.xml, 'redis-clone'), elementText(seed, 'redis-clone'));
  assert.deepEqual(specDrift('spec.crm', spec, want, w.xml), []);
  const paths = crmDiffPaths(seed, w.xml);
  if (paths) assert.ok(!paths.some((p) => /redis-clone'\]|primitive\[@id='VIP'\]/.test(p)), `the clone and the VIP are untouched: ${paths.join('\n')}`);
});

test('a clone whose meta changed is replaced, but its unchanged primitive is kept byte for byte', () => {
  const spec = seedSpec.replace(/notify=true/, 'notify=true clone-max=2');
  const w = wantedCib(seed, compile(spec));
  assert.deepEqual(w.changes.map((c) => `${c.action} ${c.what}`), ['replace clone redis-clone']);
  assert.equal(elementText(w.xml, 'redis'), elementText(seed, 'redis'));
  assert.match(elementText(w.xml, 'redis-clone')!, /clone-max/);
});

test('corosync keys: logging and totem timers reload with corosync-cfgtool -R; transport, crypto, nodelist and two_node need a restart', () => {
  for (const k of ['logging.timestamp', 'logging.to_syslog', 'totem.token', 'totem.consensus', 'quorum.expected_votes']) assert.equal(corosyncReloads(k), true, k);
  for (const k of ['totem.transport', 'totem.crypto_cipher', 'totem.cluster_name', 'quorum.two_node', 'nodelist.node.ring0_addr', 'totem.interface.linknumber']) assert.equal(corosyncReloads(k), false, k);
});
