// The persistent command channel (src/core/ssh/shellChannel.ts) through a real OpenSSH server on 127.0.0.1:
// exact bytes and exit codes, timeouts ended on the node, a killed shell, sshd's MaxSessions, and the fallback to
// one exec channel per command where sshd forces a command.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SshConnection, type ConnectOptions } from '../../../src/core/ssh/connection';
import { CommandRunner } from '../../../src/core/remote/runner';
import { PcxFailure } from '../../../src/core/util/result';
import { hostileString } from '../remote/hostileStrings';
import { sshdAvailable, startSshd, type Sshd } from './sshdHarness';

const skip = !sshdAvailable && 'needs /usr/sbin/sshd, ssh-keygen and root';
const noAgent: ConnectOptions = { resolveEnv: { env: {} } };

/** Bytes that look like the framing (markers, trailers), mixed with random ones. */
const framingLike = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 48 }).map((a) => Buffer.from(a)),
      fc.constantFrom('=PCX', ':0\n', '\n', '=PCX0123456789abcdef0123456789abcdef:0\n', "printf '%s\\n'", '\0').map((s) => Buffer.from(s)),
    ),
    { maxLength: 6 },
  )
  .map((parts) => Buffer.concat(parts));

/** %b escapes (\0NNN) for printf, the test's own encoding. */
const escapes = (b: Buffer) => [...b].map((x) => `\\0${x.toString(8).padStart(3, '0')}`).join('');

/** Processes on the (local) node whose command line matches `pattern` (a regex for pgrep -f). */
async function remaining(runner: CommandRunner, pattern: string): Promise<string[]> {
  const r = await runner.run(['pgrep', '-f', pattern], { timeoutMs: 5000 });
  return r.stdout.split('\n').filter(Boolean);
}

/** Poll until no process matches `pattern` (bounded); returns what is left at the end. */
async function waitGone(runner: CommandRunner, pattern: string, withinMs: number): Promise<string[]> {
  const deadline = Date.now() + withinMs;
  let left = await remaining(runner, pattern);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    left = await remaining(runner, pattern);
  }
  return left;
}

describe('persistent shell channel over a real sshd', { skip }, () => {
  let sshd: Sshd;
  let target: { host: string; sshConfigPath: string; knownHostsPath: string };
  before(async () => {
    // MaxSessions 3: repeated timeouts that leaked sessions would exhaust it within a few commands.
    sshd = await startSshd({ extraConfig: 'MaxSessions 3' });
    target = { host: 'loop', sshConfigPath: sshd.sshConfig, knownHostsPath: sshd.knownHosts };
  });
  after(async () => sshd?.stop());

  test('property: random argv, random binary stdout/stderr/stdin (framing look-alikes included) and exit codes round-trip exactly (150 runs, one connection)', async () => {
    const conn = await SshConnection.open(target, noAgent);
    const runner = new CommandRunner(conn, 'root');
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(hostileString, { maxLength: 3 }), framingLike, framingLike, fc.integer({ min: 0, max: 255 }), async (args, out, err, code) => {
          // argv comes back NUL-separated on stdout after stdin's bytes; err goes to stderr; then exit CODE.
          const script = 'c=$1; shift 2; cat; [ $# -eq 0 ] || printf "%s\\0" "$@"; printf "%b" "$0" >&2; exit "$c"';
          const r = await runner.run(['sh', '-c', script, escapes(err), String(code), 'x', ...args], { stdin: out });
          const expected = Buffer.concat([out, ...args.map((a) => Buffer.from(`${a}\0`))]);
          assert.ok(r.stdoutBytes?.equals(expected), `stdout: ${JSON.stringify(r.stdout)}`);
          assert.ok(r.stderrBytes?.equals(err), `stderr: ${JSON.stringify(r.stderr)}`);
          assert.equal(r.code, code);
        }),
        { numRuns: 150 },
      );
      assert.equal(conn.commandChannel, 'shell');
    } finally {
      conn.close();
    }
  });

  test('commands issued together run on at most two shells and each gets its own output', async () => {
    const conn = await SshConnection.open(target, noAgent);
    const runner = new CommandRunner(conn, 'root');
    try {
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => runner.run(['sh', '-c', 'sleep 0.05; echo "$0"; echo "e$0" >&2', String(i)])));
      results.forEach((r, i) => assert.deepEqual([r.stdout, r.stderr, r.code], [`${i}\n`, `e${i}\n`, 0]));
      assert.equal(conn.shellCount, 2, 'twelve commands at once share two shells');
    } finally {
      conn.close();
    }
  });

  test('a hung command is ended on the node (also one ignoring SIGTERM), repeatedly, without exhausting MaxSessions; the next command succeeds', async () => {
    const conn = await SshConnection.open(target, noAgent);
    const runner = new CommandRunner(conn, 'root');
    try {
      await runner.run(['true']); // the first shell is open and idle: the first hung command surely runs on it
      for (let i = 0; i < 4; i++) {
        const argv = i % 2 === 0 ? ['sleep', '47.25'] : ['sh', '-c', 'trap "" TERM; sleep 47.25; :'];
        const t0 = Date.now();
        await assert.rejects(runner.run(argv, { timeoutMs: 1000 }), (e: unknown) => {
          assert.ok(e instanceof PcxFailure && e.code === 'timeout', String(e));
          // The first surely ran (and was stopped on the node); later ones may time out waiting for a shell that is
          // still seeing its TERM-ignoring predecessor off.
          assert.match(e.message, i === 0 ? /did not finish within 1 s and was stopped there/ : /did not finish within 1 s/);
          return true;
        });
        assert.ok(Date.now() - t0 < 1500, `the caller hears of the timeout at its deadline (${Date.now() - t0} ms, run ${i})`);
      }
      // `timeout -k 2 1`: TERM at 1 s, KILL at 3 s; the last one started ~1 s ago.
      assert.deepEqual(await waitGone(runner, 'slee[p] 47.25', 6000), [], 'no hung process left on the node');
      const ok = await runner.run(['echo', 'next']);
      assert.deepEqual([ok.stdout, ok.code], ['next\n', 0]);
      assert.equal(conn.commandChannel, 'shell');
    } finally {
      conn.close();
    }
  });

  test('the same on exec channels (commandChannel: exec): ended on the node, late channels closed, MaxSessions 3 never exhausted', async () => {
    const conn = await SshConnection.open(target, { ...noAgent, commandChannel: 'exec' });
    const runner = new CommandRunner(conn, 'root');
    try {
      for (let i = 0; i < 5; i++) {
        await assert.rejects(runner.run(['sleep', '48.5'], { timeoutMs: 800 }), (e: unknown) => e instanceof PcxFailure && e.code === 'timeout');
      }
      assert.deepEqual(await waitGone(runner, 'slee[p] 48.5', 6000), [], 'no hung process left on the node');
      const ok = await runner.run(['echo', 'next']);
      assert.deepEqual([ok.stdout, ok.code], ['next\n', 0]);
      assert.equal(conn.commandChannel, 'exec');
    } finally {
      conn.close();
    }
  });

  test('the shell killed mid-command → shell-lost naming the host and the signal; the next command gets a fresh shell', async () => {
    const conn = await SshConnection.open(target, noAgent);
    const runner = new CommandRunner(conn, 'root');
    try {
      await runner.run(['true']);
      // The command walks up to the long-lived shell (the process right under sshd) and kills it.
      const killShell = 'p=$$; while :; do pp=$(ps -o ppid= -p "$p" | tr -d " "); case $(ps -o comm= -p "$pp") in sshd*) break;; esac; p=$pp; done; kill -KILL "$p"; sleep 3';
      const t0 = Date.now();
      await assert.rejects(runner.run(['sh', '-c', killShell], { timeoutMs: 10_000 }), (e: unknown) => {
        assert.ok(e instanceof PcxFailure, String(e));
        assert.equal(e.code, 'shell-lost');
        assert.equal(e.host, 'loop');
        assert.match(e.message, /command shell on loop ended while a command was running \(killed by signal (SIG)?KILL\)/);
        assert.match(e.hint ?? '', /try again/);
        return true;
      });
      assert.ok(Date.now() - t0 < 2500, `reported when the shell died, not when its orphan finished (${Date.now() - t0} ms)`);
      const ok = await runner.run(['echo', 'again']);
      assert.deepEqual([ok.stdout, ok.code], ['again\n', 0]);
      assert.equal(conn.commandChannel, 'shell');
    } finally {
      conn.close();
    }
  });
});

describe('where sshd forces a command', { skip }, () => {
  let sshd: Sshd;
  before(async () => {
    // A typical restricting wrapper: runs the requested command unless it asks for a shell.
    sshd = await startSshd({ extraConfig: `ForceCommand /bin/sh -c 'case "$SSH_ORIGINAL_COMMAND" in *sh) echo "shells are not allowed" >&2; exit 1;; esac; eval "$SSH_ORIGINAL_COMMAND"'` });
  });
  after(async () => sshd?.stop());

  test('falls back to one exec channel per command, says so in the log once, and commands still work', async () => {
    const lines: string[] = [];
    const conn = await SshConnection.open({ host: 'loop', sshConfigPath: sshd.sshConfig, knownHostsPath: sshd.knownHosts }, { ...noAgent, log: (l) => lines.push(l) });
    const runner = new CommandRunner(conn, 'root');
    try {
      const results = await Promise.all([runner.run(['echo', 'a']), runner.run(['printf', '%s', 'b c'])]);
      assert.deepEqual(results.map((r) => r.stdout), ['a\n', 'b c']);
      assert.equal((await runner.run(['sh', '-c', 'exit 5'])).code, 5);
      assert.equal(conn.commandChannel, 'exec');
      assert.equal(lines.length, 1, lines.join('\n'));
      assert.match(lines[0], /^loop: `sh` on loop cannot serve as a command shell \(forced command or restricted shell\?\).*running every command on its own SSH channel/);
    } finally {
      conn.close();
    }
  });
});
