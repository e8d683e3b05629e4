/**
 * `pcx status` as a user runs it, against the real test cluster's sshd (read-only: known_hosts files and keys
 * are temp copies; the cluster is only read). Host keys: unknown → exit 2 with the fingerprint and the exact
 * command with --accept-new-host-key; with the flag → fingerprint on stderr and the key saved where OpenSSH
 * reads it; a changed key (or a host known with another key type) is refused even with the flag. Passphrase-
 * protected keys: a terminal is asked without echo; no terminal → a clear message. --sudo for pcxadmin,
 * --cluster with a clusters file and a dead first host.
 *
 * Exit codes 0 and 1 are both "got the status": other test suites may be moving the shared cluster around.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SSH_CONFIG, STATE_DIR, NODE_ADDR, UNUSED_ADDR, requireCluster } from './helpers';
import { quoteArgv } from '../../src/core/util/shellQuote';
import { acceptNewHostKeyPolicy } from '../../src/cli/source';
import { readHidden } from '../../src/cli/terminal';
import { PassThrough } from 'node:stream';

const repoRoot = path.join(__dirname, '..', '..');
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;
const PCX = [process.execPath, '--import', tsxLoader, path.join(repoRoot, 'src', 'cli', 'pcx.ts'), 'status'];
const GOT_STATUS = [0, 1];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `pcx status ARGS` in a child process; no agent (SSH_AUTH_SOCK unset), no colour. */
const CACHE_DIR = mkdtempSync(path.join(tmpdir(), 'pcx-cache-'));

function pcx(args: readonly string[], input?: string): Run {
  // Its own cache of remembered nodes (fallbacks), so runs elsewhere do not change what this file sees.
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', PCX_CACHE_DIR: CACHE_DIR };
  delete env.SSH_AUTH_SOCK;
  const t0 = performance.now();
  const r = spawnSync(PCX[0], [...PCX.slice(1), ...args], { encoding: 'utf8', timeout: 60_000, env, input: input ?? '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t0 };
}

const node1 = ['--ssh-config', SSH_CONFIG, '--host', 'node1'];
const fingerprintOf = (pub: string) => execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pub], { encoding: 'utf8' }).split(' ')[1];
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const show = (r: Run) => `exit ${r.code}\n--- stderr\n${r.stderr}\n--- stdout\n${r.stdout.slice(0, 800)}`;

describe('pcx status against the test cluster', () => {
  let dir: string;
  let node1Fp: string;
  before(() => {
    requireCluster();
    dir = mkdtempSync(path.join(tmpdir(), 'pcx-status-cli-'));
    node1Fp = fingerprintOf(path.join(STATE_DIR, 'node1', 'hostkeys', 'ssh_host_ed25519_key.pub'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('unknown host key → exit 2, its SHA256 fingerprint, and the same command with --accept-new-host-key; nothing saved', () => {
    const kh = path.join(dir, 'kh-unknown');
    writeFileSync(kh, '');
    const args = [...node1, '--known-hosts', kh];
    const r = pcx(args);
    assert.equal(r.code, 2, show(r));
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`^pcx status: node1: the authenticity of node1 \\(${escape(NODE_ADDR.node1)}:22\\) cannot be established: its ED25519 key ${escape(node1Fp)} is not in ${escape(kh)}`));
    assert.ok(r.stderr.includes(quoteArgv(['pcx', 'status', ...args, '--accept-new-host-key'])), `the hint names the exact command:\n${r.stderr}`);
    assert.equal(readFileSync(kh, 'utf8'), '', 'nothing written without the flag');
    const j = pcx([...args, '--json']);
    assert.equal(j.code, 2);
    assert.equal(JSON.parse(j.stdout).error.code, 'host-key-unknown');
  });

  test('--accept-new-host-key → fingerprint and file on stderr, key saved; OpenSSH accepts the line; the next run asks nothing', () => {
    const kh = path.join(dir, 'kh-accept');
    const r = pcx([...node1, '--known-hosts', kh, '--accept-new-host-key']);
    assert.ok(GOT_STATUS.includes(r.code ?? -1), show(r));
    assert.match(r.stderr, new RegExp(`node1 \\(${escape(NODE_ADDR.node1)}\\) is not in known_hosts; trusting its ED25519 host key ${escape(node1Fp)} \\(--accept-new-host-key\\) and saving it to ${escape(kh)}`));
    assert.match(r.stdout, /^Cluster cluster1 · /);
    assert.match(r.stdout, /\nsource: node1\n/);
    const saved = readFileSync(kh, 'utf8');
    // node1's key, once, as OpenSSH writes it (the workload read may also have trusted node2, never seen before).
    assert.equal(saved.split('\n').filter((l) => l.startsWith(`${NODE_ADDR.node1} `)).length, 1, saved);
    assert.match(saved, new RegExp(`^${escape(NODE_ADDR.node1)} ssh-ed25519 \\S+$`, 'm'));
    execFileSync('ssh', ['-F', SSH_CONFIG, '-o', `UserKnownHostsFile=${kh}`, '-o', 'StrictHostKeyChecking=yes', 'node1', 'true']);
    const again = pcx([...node1, '--known-hosts', kh]);
    assert.ok(GOT_STATUS.includes(again.code ?? -1), show(again));
    assert.doesNotMatch(again.stderr, /trusting/);
    assert.equal(readFileSync(kh, 'utf8'), saved, 'not appended twice');
  });

  test('changed host key → refused even with --accept-new-host-key, exit 2, known_hosts untouched', () => {
    const kh = path.join(dir, 'kh-changed');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'impostor')]);
    const impostor = readFileSync(path.join(dir, 'impostor.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
    writeFileSync(kh, `${NODE_ADDR.node1} ${impostor}\n`);
    const before = readFileSync(kh, 'utf8');
    const r = pcx([...node1, '--known-hosts', kh, '--accept-new-host-key']);
    assert.equal(r.code, 2, show(r));
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`host key of node1 has CHANGED — now ${escape(node1Fp)}, which differs from the key in ${escape(kh)}:1`));
    assert.match(r.stderr, /Verify the new fingerprint/);
    assert.doesNotMatch(r.stderr, /trusting/);
    assert.equal(readFileSync(kh, 'utf8'), before);
  });

  test('host known only with another key type → the flag does not accept the new type (exit 2, says why); with fallback node1 is skipped, named with the reason', () => {
    const kh = path.join(dir, 'kh-othertype');
    execFileSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-f', path.join(dir, 'ecdsa')]);
    writeFileSync(kh, `${NODE_ADDR.node1} ${readFileSync(path.join(dir, 'ecdsa.pub'), 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
    // The other nodes may answer instead (fallback), but never silently: node1 is named with why it was skipped.
    const viaOthers = pcx([...node1, '--known-hosts', kh, '--accept-new-host-key']);
    if (viaOthers.code !== 2) {
      assert.equal(viaOthers.code, 1, `read through another node is at best degraded: ${show(viaOthers)}`);
      assert.match(viaOthers.stderr, /skipped node1 \(host key not trusted\): known_hosts .* holds ECDSA host key/, show(viaOthers));
    }
    const r = pcx([...node1, '--known-hosts', kh, '--accept-new-host-key', '--no-fallback']);
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, new RegExp(`holds ECDSA host key\\(s\\) for ${escape(NODE_ADDR.node1)}, but the host now presents an unknown ED25519 key SHA256:\\S+; --accept-new-host-key only trusts hosts never seen before`));
    // The fix is a command to paste, quoted by quoteArgv like every command pcx prints.
    const fix = quoteArgv(['ssh-keygen', '-R', NODE_ADDR.node1, '-f', kh]);
    assert.ok(r.stderr.includes(fix), `stderr names ${fix}: ${show(r)}`);
    // node1's new key was not saved (node2's may have been: it was never seen before, and the flag trusts those).
    const node1Lines = readFileSync(kh, 'utf8').split('\n').filter((l) => l.startsWith(`${NODE_ADDR.node1} `) || l.startsWith('node1'));
    assert.deepEqual(node1Lines.map((l) => l.split(' ')[1]), ['ecdsa-sha2-nistp256']);
  });

  test('known_hosts that cannot be written → exit 2 at once with the reason (no hang until a timeout)', () => {
    writeFileSync(path.join(dir, 'not-a-dir'), 'x');
    const r = pcx([...node1, '--known-hosts', path.join(dir, 'not-a-dir', 'known_hosts'), '--accept-new-host-key']);
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, /could not record the host key of node1 in .*not-a-dir\/known_hosts: .*\n {2}→ Check that .* is writable/);
    assert.ok(r.ms < 5000, `took ${Math.round(r.ms)} ms`);
  });

  describe('passphrase-protected key (the test key, re-encrypted)', () => {
    let encrypted: string;
    const passphrase = 'correct horse 42';
    before(() => {
      encrypted = path.join(dir, 'id_encrypted');
      copyFileSync(path.join(STATE_DIR, 'id_ed25519'), encrypted);
      chmodSync(encrypted, 0o600);
      execFileSync('ssh-keygen', ['-q', '-p', '-f', encrypted, '-P', '', '-N', passphrase]);
    });

    test('not a terminal → exit 2: the key is locked and nothing could ask; hint ssh-add', () => {
      const r = pcx([...node1, '--identity', encrypted]);
      assert.equal(r.code, 2, show(r));
      assert.match(r.stderr, new RegExp(`cannot log in to root@node1: ${escape(encrypted)} is passphrase-protected and no passphrase could be asked for \\(no terminal\\)`));
      assert.match(r.stderr, new RegExp(`→ Load the key into ssh-agent once \\(ssh-add ${escape(encrypted)}\\)`));
    });

    test('on a terminal → asked without echo; a wrong answer is asked again; the right one logs in', { skip: existsSync('/usr/bin/script') ? false : 'util-linux script(1) absent: no pseudo-terminal' }, () => {
      // script(1) gives pcx a pseudo-terminal; the shell feeds the answers after the prompts had time to appear.
      const command = quoteArgv([...PCX, ...node1, '--identity', encrypted]);
      const feeder = `sleep 3; printf '%s\\r' 'not it'; sleep 2; printf '%s\\r' ${quoteArgv([passphrase])}; sleep 8`;
      // Its own cache of remembered nodes (fallbacks), so runs elsewhere do not change what this file sees.
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', PCX_CACHE_DIR: CACHE_DIR };
      delete env.SSH_AUTH_SOCK;
      const r = spawnSync('bash', ['-c', `(${feeder}) | script -qefc ${quoteArgv([command])} /dev/null`], { encoding: 'utf8', timeout: 60_000, env });
      const out = r.stdout.replace(/\r/g, '');
      assert.match(out, new RegExp(`Enter passphrase for key '${escape(encrypted)}' \\(logging in to node1\\): \\nWrong passphrase, try again\\. Enter passphrase`));
      assert.match(out, /Cluster cluster1 · DC /);
      assert.ok(!out.includes(passphrase) && !out.includes('not it'), `the passphrase is never echoed:\n${out}`);
    });
  });

  test('--sudo as pcxadmin reads the cluster; pcxadmin without sudo is told why crm_mon refuses', () => {
    const r = pcx([...node1, '--user', 'pcxadmin', '--sudo', '--json']);
    assert.ok(GOT_STATUS.includes(r.code ?? -1), show(r));
    const j = JSON.parse(r.stdout);
    assert.equal(j.source, 'node1');
    assert.deepEqual(j.nodes.map((n: { name: string }) => n.name), ['node1', 'node2']);
    assert.equal(j.cluster.name, 'cluster1', 'the CIB was read too (through sudo)');
    const plain = pcx([...node1, '--user', 'pcxadmin']);
    assert.equal(plain.code, 2, show(plain));
    assert.match(plain.stderr, /node1 refused crm_mon: .*Permission denied[\s\S]*→ .*enable sudo/);
  });

  test('--cluster from a clusters file: a dead first host is skipped with a warning, the next answers', () => {
    const file = path.join(dir, 'clusters.json');
    writeFileSync(file, JSON.stringify({ clusters: [{ name: 'cluster1', hosts: [UNUSED_ADDR, 'node1', 'node2'], user: 'pcxadmin', sudo: true }] }));
    const r = pcx(['--ssh-config', SSH_CONFIG, '--known-hosts', path.join(STATE_DIR, 'known_hosts'), '--cluster', 'cluster1', '--clusters', file]);
    assert.ok(GOT_STATUS.includes(r.code ?? -1), show(r));
    assert.match(r.stderr, new RegExp(`^pcx status: warning: skipped ${escape(UNUSED_ADDR)} \\(unreachable\\): (no route to ${escape(UNUSED_ADDR)}:22|connecting to ${escape(UNUSED_ADDR)}:22|no TCP connection to ${escape(UNUSED_ADDR)}'s SSH port)`, 'm'));
    assert.match(r.stdout, /\nsource: node1\n/);
    const unknown = pcx(['--ssh-config', SSH_CONFIG, '--cluster', 'nope', '--clusters', file]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no cluster named "nope".*\n {2}→ known clusters: cluster1/);
  });
});

// No cluster needed: the prompt's line editing and the policy's decisions, on fakes.
test('readHidden: Enter ends, Backspace and Ctrl-U edit, Ctrl-D on an empty line gives up; nothing is echoed', async () => {
  const type = async (keys: string[]) => {
    const input = Object.assign(new PassThrough(), { isRaw: false, setRawMode(raw: boolean) { input.isRaw = raw; return input; } });
    const output = new PassThrough();
    let shown = '';
    output.on('data', (c: Buffer) => (shown += c.toString()));
    const answer = readHidden('Passphrase: ', input as unknown as NodeJS.ReadStream, output);
    for (const k of keys) input.write(k);
    const value = await answer;
    assert.equal(input.isRaw, false, 'raw mode is switched off again');
    return { value, shown };
  };
  assert.deepEqual(await type(['secret\r']), { value: 'secret', shown: 'Passphrase: \n' });
  assert.equal((await type(['sec', 'x\u007f', 'ret', '\n'])).value, 'secret');
  assert.equal((await type(['wrong\u0015', 'right\r'])).value, 'right');
  assert.equal((await type(['\u0004'])).value, undefined);
  assert.equal((await type(['pä55 wörd\r'])).value, 'pä55 wörd');
});

test('acceptNewHostKeyPolicy: a never-seen host is saved with its fingerprint printed; a host known with another key type is refused', () => {
  const lines: string[] = [];
  const policy = acceptNewHostKeyPolicy((l) => lines.push(l));
  const key = { host: 'node1', knownHostsName: '10.213.0.11', keyType: 'ssh-ed25519', fingerprint: 'SHA256:abc', knownHostsFile: '/tmp/kh', otherKnownTypes: [] as string[] };
  assert.equal(policy(key), 'accept-and-save');
  assert.deepEqual(lines, ['pcx status: node1 (10.213.0.11) is not in known_hosts; trusting its ED25519 host key SHA256:abc (--accept-new-host-key) and saving it to /tmp/kh\n']);
  assert.throws(() => policy({ ...key, otherKnownTypes: ['ssh-rsa'] }), /holds RSA host key\(s\) for 10\.213\.0\.11, but the host now presents an unknown ED25519 key SHA256:abc/);
  assert.equal(lines.length, 1, 'nothing claimed as trusted when refused');
});
