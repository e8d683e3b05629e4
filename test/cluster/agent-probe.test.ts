/**
 * A spec file never runs a program on a node (issue 29, part 1), through the real sshd: a probe program is put in
 * /usr/sbin on the test node (Pacemaker runs /usr/sbin/NAME for `stonith:NAME` meta-data, as root), and a spec
 * naming `stonith:PROBE` goes through `pcx lint --host`, `pcx apply --dry-run` (its preview) and `pcx bootstrap
 * --dry-run` (its node checks). The probe records every run in a marker file, which must stay absent; each verb
 * says the agent is not installed on the node, by name. Read-only for the cluster (apply and bootstrap refuse
 * before changing anything); the probe and its files are removed afterwards.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeClusterFolder } from './clusterFolder';
import { NODES, SSH_CONFIG, requireCluster, ssh, sshOk } from './helpers';

const repoRoot = path.join(__dirname, '..', '..');
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
const PROBE = `pcxprobe${process.pid}`;
const PROBE_PATH = `/usr/sbin/${PROBE}`;
const MARKER = `/tmp/${PROBE}.ran`;
const CONTROL = `/tmp/${PROBE}.control`;

function pcx(args: readonly string[]): { code: number | null; stdout: string; stderr: string; ms: number } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.SSH_AUTH_SOCK;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', tsxLoader, path.join(repoRoot, 'src', 'cli', 'pcx.ts'), ...args], { encoding: 'utf8', timeout: 120_000, env, input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t0 };
}
const show = (r: { code: number | null; stdout: string; stderr: string }) => `exit ${r.code}\n--- stderr\n${r.stderr.slice(-2000)}\n--- stdout\n${r.stdout.slice(0, 2000)}`;

/** The marker as each node sees it ('' when absent everywhere). */
async function probeRuns(): Promise<string> {
  const seen = await Promise.all(NODES.map(async (n) => (await ssh(n, ['sh', '-c', 'cat -- "$1" 2>/dev/null || true', 'sh', MARKER])).stdout.trim()));
  return [...new Set(seen.filter(Boolean))].join('\n');
}

describe('a spec naming stonith:PROBE never runs /usr/sbin/PROBE on a node (lint, apply preview, bootstrap checks)', { timeout: 300_000 }, () => {
  let dir: string;
  before(async () => {
    requireCluster();
    dir = mkdtempSync(path.join(tmpdir(), 'pcx-agent-probe-'));
    // The probe appends "uid node args" to $PCXPROBE_MARKER (default MARKER) each time anything runs it.
    const body = `echo "$(id -u) $(uname -n) $*" >> "\${PCXPROBE_MARKER:-${MARKER}}"`;
    for (const n of NODES) await sshOk(n, ['sh', '-c', 'printf "%s\\n" "#!/bin/sh" "$2" > "$1" && chmod 755 "$1"', 'sh', PROBE_PATH, body]);
    // Control: the probe is what the old code ran — crm_resource's meta-data query for stonith:PROBE runs it as root.
    await ssh('node1', ['env', `PCXPROBE_MARKER=${CONTROL}`, 'crm_resource', '--show-metadata', `stonith:${PROBE}`]);
    const control = (await ssh('node1', ['cat', CONTROL])).stdout.trim();
    assert.equal(control, '0 node1', 'the probe records a run (as root, on node1) when Pacemaker is asked for its meta-data');
    assert.equal(await probeRuns(), '', 'no run recorded before the tests');
  });
  after(async () => {
    for (const n of NODES) await ssh(n, ['rm', '-f', '--', PROBE_PATH, MARKER, CONTROL]).catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('pcx lint --host node1: "not installed on node1", and the probe never ran', async () => {
    const spec = path.join(dir, 'evil.crm');
    writeFileSync(spec, `primitive f stonith:${PROBE}\n`);
    const r = pcx(['lint', '--ssh-config', SSH_CONFIG, '--host', 'node1', spec]);
    console.log(`# pcx lint --host with stonith:PROBE: ${Math.round(r.ms)} ms`);
    assert.equal(await probeRuns(), '', `the probe ran:\n${show(r)}`);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, new RegExp(`evil\\.crm:1:\\d+: warning crm/agent-not-installed stonith:${PROBE} is not installed on node1 \\(not among the agents crm_resource --list-agents stonith lists there`), show(r));
    assert.match(r.stderr, /agents from node1: 0 described, 1 not installed/);
  });

  test('pcx apply --dry-run refuses the folder before its preview: not installed on node1 and node2, nothing changed', async () => {
    const folder = path.join(dir, 'apply');
    writeClusterFolder(folder);
    const spec = path.join(folder, 'redis.crm');
    writeFileSync(spec, `${readFileSync(spec, 'utf8')}primitive fence-probe stonith:${PROBE}\n`);
    const epoch = await sshOk('node1', ['cibadmin', '-Q', '-l', '-A', '/cib', '-n']);
    const r = pcx(['apply', folder, '--ssh-config', SSH_CONFIG, '--dry-run']);
    console.log(`# pcx apply --dry-run with stonith:PROBE: ${Math.round(r.ms)} ms`);
    assert.equal(await probeRuns(), '', `the probe ran:\n${show(r)}`);
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, new RegExp(`not installed .*stonith:${PROBE} on node1; stonith:${PROBE} on node2; nothing was run for them and nothing was changed`), show(r));
    assert.equal(await sshOk('node1', ['cibadmin', '-Q', '-l', '-A', '/cib', '-n']), epoch, 'the CIB did not change');
  });

  test('pcx bootstrap --dry-run: its node checks list agents instead of running them; the probe is named missing on each node', async () => {
    const folder = path.join(dir, 'bootstrap');
    writeClusterFolder(folder);
    const spec = path.join(folder, 'redis.crm');
    writeFileSync(spec, `${readFileSync(spec, 'utf8')}primitive fence-probe stonith:${PROBE}\n`);
    const r = pcx(['bootstrap', folder, '--ssh-config', SSH_CONFIG, '--dry-run']);
    console.log(`# pcx bootstrap --dry-run with stonith:PROBE: ${Math.round(r.ms)} ms`);
    assert.equal(await probeRuns(), '', `the probe ran:\n${show(r)}`);
    assert.equal(r.code, 2, show(r));
    for (const n of NODES) assert.match(r.stderr, new RegExp(`${n}: no resource agent stonith:${PROBE} \\(not listed by crm_resource --list-agents there`), show(r));
    assert.ok(!existsSync(MARKER), 'no marker on this machine either');
  });
});
