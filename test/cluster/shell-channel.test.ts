/**
 * The persistent command shell on the real test cluster (Debian's sshd with PAM, dash as sh, sudo 1.9): exact
 * bytes, sudo per command (never a root shell), a hung command ended on the node through sudo, a killed shell.
 * Read-only; every process a test starts is gone when it ends.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SSH_CONFIG, requireCluster } from './helpers';
import { SshConnection } from '../../src/core/ssh/connection';
import { CommandRunner } from '../../src/core/remote/runner';
import { crmMonXml } from '../../src/core/remote/commands';
import { PcxFailure } from '../../src/core/util/result';

const noAgent = { resolveEnv: { env: {} } };
const escapes = (b: Uint8Array) => [...b].map((x) => `\\0${x.toString(8).padStart(3, '0')}`).join('');

async function waitGone(runner: CommandRunner, pattern: string, withinMs: number): Promise<string> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const r = await runner.run(['pgrep', '-af', pattern], { timeoutMs: 5000 });
    if (r.code === 1 || Date.now() > deadline) return r.stdout.trim();
    await new Promise((res) => setTimeout(res, 200));
  }
}

describe('persistent command shell on the test cluster', () => {
  let admin: SshConnection;
  let root: SshConnection;
  before(async () => {
    requireCluster();
    admin = await SshConnection.open({ host: 'node1', user: 'pcxadmin', sshConfigPath: SSH_CONFIG }, noAgent);
    root = await SshConnection.open({ host: 'node1', sshConfigPath: SSH_CONFIG }, noAgent);
  });
  after(() => {
    admin?.close();
    root?.close();
  });

  test('random binary stdout/stderr/stdin and exit codes round-trip exactly through the node\'s sshd and dash (60 runs)', async () => {
    const runner = new CommandRunner(root, 'root');
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 255 }), async (out, err, code) => {
        const r = await runner.run(['sh', '-c', 'cat; printf "%b" "$0" >&2; exit "$1"', escapes(err), String(code)], { stdin: Buffer.from(out) });
        assert.ok(r.stdoutBytes?.equals(Buffer.from(out)), 'stdout');
        assert.ok(r.stderrBytes?.equals(Buffer.from(err)), 'stderr');
        assert.equal(r.code, code);
      }),
      { numRuns: 60 },
    );
    assert.equal(root.commandChannel, 'shell');
  });

  test('sudo goes through `sudo -n` command by command: the shell itself runs as pcxadmin, never root', async () => {
    const runner = new CommandRunner(admin, 'pcxadmin', true);
    const mon = crmMonXml.parse(await runner.run(crmMonXml.argv), 'node1');
    assert.match(mon, /<pacemaker-result /);
    const [asRoot, asUser] = await Promise.all([runner.run(['id', '-un']), runner.run(['id', '-un'], { sudo: false })]);
    assert.equal(asRoot.stdout, 'root\n');
    assert.equal(asUser.stdout, 'pcxadmin\n', 'the same connection\'s shells run as the login user');
    // pcxadmin's long-lived shells: `sh` processes right under an sshd process, owned by pcxadmin (not root).
    const ps = await runner.run(['ps', '-eo', 'pid=,ppid=,user=,comm='], { sudo: false });
    const procs = ps.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/)).map(([pid, ppid, user, comm]) => ({ pid, ppid, user, comm }));
    const comm = new Map(procs.map((p) => [p.pid, p.comm]));
    const persistent = procs.filter((p) => p.comm === 'sh' && /^sshd/.test(comm.get(p.ppid) ?? ''));
    assert.ok(persistent.some((p) => p.user === 'pcxadmin'), `pcxadmin's persistent shell: ${JSON.stringify(persistent)}`);
    assert.equal(admin.commandChannel, 'shell');
  });

  test('pcxnopw: every sudo command is refused on its own (sudo-password), nothing is cached as root', async () => {
    const conn = await SshConnection.open({ host: 'node1', user: 'pcxnopw', sshConfigPath: SSH_CONFIG }, noAgent);
    try {
      const runner = new CommandRunner(conn, 'pcxnopw', true);
      for (let i = 0; i < 2; i++) {
        await assert.rejects(runner.run(['crm_node', '--name']), (e: unknown) => e instanceof PcxFailure && e.code === 'sudo-password' && /pcxnopw ALL=\(root\) NOPASSWD:/.test(e.hint ?? ''));
      }
      assert.equal((await runner.run(['id', '-un'], { sudo: false })).stdout, 'pcxnopw\n');
      assert.equal(conn.commandChannel, 'shell');
    } finally {
      conn.close();
    }
  });

  test('a hung command run through sudo is ended on the node at its timeout; the next command succeeds', async () => {
    const runner = new CommandRunner(admin, 'pcxadmin', true);
    await assert.rejects(runner.run(['sleep', '51.75'], { timeoutMs: 1000 }), (e: unknown) => e instanceof PcxFailure && e.code === 'timeout' && /stopped there/.test(e.message));
    assert.equal(await waitGone(runner, 'slee[p] 51.75', 6000), '', 'sudo relayed timeout\'s SIGTERM: nothing left on node1');
    assert.equal((await runner.run(['crm_node', '--name'])).stdout, 'node1\n');
  });

  test('the shell killed on the node mid-command → shell-lost; the next command (crm_mon) succeeds on a fresh shell', async () => {
    const runner = new CommandRunner(root, 'root');
    const killShell = 'p=$$; while :; do pp=$(ps -o ppid= -p "$p" | tr -d " "); case $(ps -o comm= -p "$pp") in sshd*) break;; esac; p=$pp; done; kill -KILL "$p"; sleep 2';
    await assert.rejects(runner.run(['sh', '-c', killShell]), (e: unknown) => e instanceof PcxFailure && e.code === 'shell-lost' && e.host === 'node1' && /ended while a command was running/.test(e.message));
    const mon = crmMonXml.parse(await runner.run(crmMonXml.argv), 'node1');
    assert.match(mon, /<nodes>/);
    assert.equal(root.commandChannel, 'shell');
  });
});
