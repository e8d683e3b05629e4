// pcx render and pcx lint on crm files, through the real CLI entry point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repoRoot = resolve(__dirname, '..', '..', '..');
const fixtures = join(repoRoot, 'test', 'fixtures', 'crm');

function pcx(args: string[], input?: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'pcx.ts'), ...args], { cwd: repoRoot, encoding: 'utf8', input });
}

test('pcx render FILE.crm prints a whole CIB; --to crm reads it back; --to configuration prints the section', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcx-render-'));
  try {
    const cib = pcx(['render', join(fixtures, 'reference.crm')]);
    assert.equal(cib.status, 0, cib.stderr);
    assert.match(cib.stdout, /^<cib validate-with="pacemaker-3.7"/);
    assert.match(cib.stdout, /<rsc_colocation id="vip-with-redis" score="INFINITY" rsc="vip" with-rsc="redis-clone" with-rsc-role="Promoted"\/>/);
    writeFileSync(join(dir, 'cib.xml'), cib.stdout);
    const back = pcx(['render', join(dir, 'cib.xml')]);
    assert.equal(back.status, 0, back.stderr);
    assert.match(back.stdout, /^colocation vip-with-redis inf: vip redis-clone:Promoted$/m);
    assert.match(back.stdout, /^clone redis-clone redis \\\n\tmeta promotable=true notify=true promoted-max=1$/m);
    const conf = pcx(['render', '--to', 'configuration', '-'], 'primitive d Dummy\n');
    assert.equal(conf.status, 0, conf.stderr);
    assert.match(conf.stdout, /^<configuration>\n/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pcx render refuses a spec with syntax errors (exit 2, file:line:col), bad XML and a missing file', () => {
  const bad = pcx(['render', '--to', 'cib', '-'], 'primitive a Dummy\ncolocation c vip redis\n');
  assert.equal(bad.status, 2);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /^-:2:\d+: error crm\/syntax Expected <score>:/m);
  const xml = pcx(['render', '--to', 'crm', '-'], '<cib><configuration>');
  assert.equal(xml.status, 2);
  assert.match(xml.stderr, /CIB XML/);
  const missing = pcx(['render', '/nonexistent.crm']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read \/nonexistent.crm: no such file/);
  const usage = pcx(['render']);
  assert.equal(usage.status, 2);
});

test('pcx render exits 1 and names what it left out (an ACL schema 1 user); a bundle is rendered', () => {
  const r = pcx(['render', '--to', 'crm', '-'], '<cib><configuration><crm_config/><nodes/><resources><bundle id="b1"><docker image="x"/></bundle></resources><constraints/><acls><acl_user id="u1"/></acls></configuration></cib>');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /left out <acl_user u1> \(ACL schema 1: crm syntax "user"\)/);
  assert.match(r.stdout, /^bundle b1 \\\n\tdocker image=x$/m);
});

test('pcx lint FILE.crm: exit 1 on errors, 0 on warnings only; json output has the crm language', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcx-lint-'));
  try {
    writeFileSync(join(dir, 'bad.crm'), 'primitive vip ocf:heartbeat:IPAddr2 params ip=10.0.0.1 op monitor interval=10s\nproperty stonith-enabled=false\n');
    const r = pcx(['lint', join(dir, 'bad.crm')]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /bad\.crm:1:15: error crm\/agent-case /);
    const ok = pcx(['lint', join(fixtures, 'legacy-ms.crm')]);
    assert.equal(ok.status, 0, ok.stdout);
    assert.match(ok.stdout, /warning crm\/ms-deprecated/);
    const json = JSON.parse(pcx(['lint', '--format', 'json', join(dir, 'bad.crm')]).stdout);
    assert.equal(json.files[0].language, 'crm');
    const list = pcx(['lint', '--list-rules', '--lang', 'crm']);
    assert.ok(list.stdout.trim().split('\n').length >= 20);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
