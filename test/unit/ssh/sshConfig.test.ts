// ssh_config resolution, run twice on the same configs: through OpenSSH's own `ssh -G` (what pcx uses where the
// machine has ssh) and through the built-in parser (the fallback without an ssh binary). Both must agree on the
// settings pcx uses. Paths in the configs are absolute: ssh expands `~` to the account's home, not to $HOME.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { loadSshConfig, parseDestination, resolveHost, type ResolveEnv } from '../../../src/core/ssh/sshConfig';
import { findSshBinary, parseSshG } from '../../../src/core/ssh/openssh';
import { PcxFailure } from '../../../src/core/util/result';

const home = mkdtempSync(join(tmpdir(), 'pcx-home-'));
process.on('exit', () => rmSync(home, { recursive: true, force: true }));
const ssh = join(home, '.ssh');
mkdirSync(join(ssh, 'conf.d', 'team'), { recursive: true });
mkdirSync(join(ssh, 'inside'), { recursive: true });
writeFileSync(join(ssh, 'id_ed25519'), 'not really a key');
writeFileSync(
  join(ssh, 'config'),
  [
    `Include ${ssh}/conf.d/*.conf`,
    'Host node1',
    '  HostName 10.213.0.11',
    '  User pcxadmin',
    `  IdentityFile ${ssh}/cluster_%r`,
    'Host node*',
    '  Port 2200',
    '  ServerAliveInterval 7',
    'Host behind',
    '  HostName 192.168.5.5',
    '  ProxyJump admin@bastion:2022,node1',
    'Host bastion',
    '  HostName 10.0.0.254',
    '  IdentitiesOnly yes',
    `  IdentityFile ${ssh}/bastion`,
    'Host pc',
    '  ProxyCommand nc %h %p',
    'Host agentless',
    '  IdentityAgent none',
    // Include inside a Host block: conditional, and the lines after it still belong to `Host wrapped`.
    'Host wrapped',
    `  Include ${ssh}/inside/*.conf`,
    '  HostName 10.7.7.7',
    '  User wrapper',
    // A glob in a directory part of the path.
    // A relay on another port that presents node1's key: known_hosts has it under the alias, without a port.
    'Host relayed',
    '  HostName 127.0.0.1',
    '  Port 2222',
    '  HostKeyAlias node1',
    'Host globbed',
    `  Include ${ssh}/conf.d/*/deep.conf`,
    '',
  ].join('\n'),
);
writeFileSync(join(ssh, 'conf.d', '10-kh.conf'), `Host node2\n  HostName 10.213.0.12\n  UserKnownHostsFile ${ssh}/cluster_known_hosts\n  HashKnownHosts yes\n`);
writeFileSync(join(ssh, 'inside', 'a.conf'), 'Port 2222\nHost unrelated\n  User nobody\n');
writeFileSync(join(ssh, 'conf.d', 'team', 'deep.conf'), 'HostName 10.8.8.8\n');
// ssh refuses a whole file with a bad line, so that one lives in a file of its own.
const badPortConfig = join(home, 'badport.conf');
writeFileSync(badPortConfig, 'Host badport\n  Port abc\n');

const sshBinary = findSshBinary();
const resolvers: Array<[string, string | null | undefined]> = [['ssh -G', sshBinary], ['built-in parser', null]];

for (const [name, binary] of resolvers) {
  const skip = binary === undefined && 'no ssh binary on this machine';
  const renv: ResolveEnv = { home, localUser: 'alice', env: { SSH_AUTH_SOCK: '/run/agent.sock' }, sshBinary: binary ?? null };
  describe(`ssh_config through the ${name}`, { skip }, () => {
    test('an alias picks up HostName, User, Port, IdentityFile (with %r) and keepalive', () => {
      const r = resolveHost({ host: 'node1' }, renv);
      assert.equal(r.hostName, '10.213.0.11');
      assert.equal(r.user, 'pcxadmin');
      assert.equal(r.port, 2200);
      assert.deepEqual(r.identityFiles, [join(ssh, 'cluster_pcxadmin')]);
      assert.equal(r.explicitIdentities, true);
      assert.equal(r.serverAliveIntervalMs, 7000);
      assert.equal(r.agentSocket, '/run/agent.sock');
      assert.equal(r.hostKeyName, '10.213.0.11');
    });

    test('HostKeyAlias replaces host and port in known_hosts: the alias is looked up bare, as OpenSSH does', () => {
      const r = resolveHost({ host: 'relayed' }, renv);
      assert.equal(r.port, 2222);
      assert.equal(r.hostKeyName, 'node1');
      assert.equal(r.hostKeyPort, 22, 'not [node1]:2222');
      assert.equal(resolveHost({ host: 'node1' }, renv).hostKeyPort, 2200, 'without an alias, the port counts');
    });

    test('explicit settings win over ssh_config, as on the ssh command line', () => {
      const r = resolveHost({ host: 'root@node1:22', identityFile: '~/k', knownHostsPath: '/tmp/kh' }, renv);
      assert.equal(r.user, 'root');
      assert.equal(r.port, 22);
      assert.deepEqual(r.identityFiles, [join(home, 'k')]);
      assert.deepEqual(r.userKnownHostsFiles, ['/tmp/kh']);
      assert.deepEqual(r.globalKnownHostsFiles, []);
    });

    test('Include is followed (glob); UserKnownHostsFile and HashKnownHosts come from it', () => {
      const r = resolveHost({ host: 'node2' }, renv);
      assert.equal(r.hostName, '10.213.0.12');
      assert.deepEqual(r.userKnownHostsFiles, [join(ssh, 'cluster_known_hosts')]);
      assert.equal(r.hashKnownHosts, true);
    });

    test('Include inside a Host block: its lines apply to that host, and a Host line in it does not capture the lines after', () => {
      const r = resolveHost({ host: 'wrapped' }, renv);
      assert.equal(r.port, 2222, 'the included top-level Port applies to wrapped');
      assert.equal(r.hostName, '10.7.7.7');
      assert.equal(r.user, 'wrapper');
      assert.equal(resolveHost({ host: 'unrelated' }, renv).hostName, 'unrelated', 'wrapped\'s HostName did not leak to unrelated');
    });

    test('a glob in a directory part of an Include path', () => {
      assert.equal(resolveHost({ host: 'globbed' }, renv).hostName, '10.8.8.8');
    });

    test('Port abc → an ssh-config failure naming it (not NaN)', () => {
      assert.throws(() => resolveHost({ host: 'badport', sshConfigPath: badPortConfig }, renv), (e: unknown) => e instanceof PcxFailure && e.code === 'ssh-config' && /abc/.test(e.message));
    });

    test('an unknown host: port 22, no explicit key files, default ones', () => {
      const r = resolveHost({ host: '10.1.2.3' }, renv);
      assert.equal(r.port, 22);
      assert.equal(r.explicitIdentities, false);
      assert.ok(r.identityFiles.includes(join(home, '.ssh', 'id_ed25519')));
      assert.equal(r.jumps.length, 0);
      // ssh knows the account's real user name only; the parser takes the one it is given.
      assert.equal(r.user, binary ? userInfo().username : 'alice');
    });

    test('ProxyJump: each hop resolved through ssh_config, in order', () => {
      const r = resolveHost({ host: 'behind' }, renv);
      assert.equal(r.hostName, '192.168.5.5');
      assert.deepEqual(
        r.jumps.map((j) => [j.user, j.hostName, j.port]),
        [
          ['admin', '10.0.0.254', 2022],
          ['pcxadmin', '10.213.0.11', 2200],
        ],
      );
      assert.equal(r.jumps[0].identitiesOnly, true);
    });

    test('ProxyCommand is refused with a pointer to ProxyJump; IdentityAgent none disables the agent', () => {
      assert.throws(() => resolveHost({ host: 'pc' }, renv), (e: unknown) => e instanceof PcxFailure && e.code === 'ssh-config' && /ProxyJump/.test(e.hint ?? ''));
      assert.equal(resolveHost({ host: 'agentless' }, renv).agentSocket, undefined);
    });

    test('sshConfigPath null reads no config; a missing config file is no config', () => {
      assert.equal(resolveHost({ host: 'node1', sshConfigPath: null }, renv).hostName, 'node1');
      assert.equal(resolveHost({ host: 'node1', sshConfigPath: join(home, 'nope') }, renv).hostName, 'node1');
    });
  });
}

describe('ssh -G only', { skip: !sshBinary && 'no ssh binary on this machine' }, () => {
  test('Match host (after HostName), as ssh evaluates it', () => {
    const file = join(home, 'match.conf');
    writeFileSync(file, `Host m\n  HostName 10.9.9.9\nMatch host 10.9.9.9\n  User matched\n  Port 2201\n`);
    const r = resolveHost({ host: 'm', sshConfigPath: file }, { sshBinary });
    assert.deepEqual([r.hostName, r.user, r.port], ['10.9.9.9', 'matched', 2201]);
  });
});

test('parseSshG: repeated keywords collect; what -G prints for unset settings counts as unset', () => {
  const v = parseSshG('user root\nhostname h\nport 22\nidentityfile ~/.ssh/id_rsa\nidentityfile ~/.ssh/id_ed25519\nconnecttimeout none\nserveraliveinterval 0\n');
  assert.equal(v.user, 'root');
  assert.equal(v.identityfile, undefined, 'only OpenSSH\'s default key list: not configured');
  assert.equal(v.connecttimeout, undefined);
  assert.equal(v.serveraliveinterval, undefined);
  assert.deepEqual(parseSshG('identityfile /k/a\nidentityfile /k/b\n').identityfile, ['/k/a', '/k/b']);
});

test('built-in parser: /etc/ssh/ssh_config is read after the user file (first value wins), not when a file is named', () => {
  const system = join(home, 'system_ssh_config');
  writeFileSync(system, 'Host *\n  ServerAliveInterval 42\n  User fromsystem\n');
  const c = loadSshConfig(undefined, home, system).compute({ Host: 'node1' }, { ignoreCase: true });
  assert.equal(c.serveraliveinterval, '7', 'the user file wins');
  assert.equal(c.user, 'pcxadmin');
  assert.equal(loadSshConfig(undefined, home, system).compute({ Host: 'elsewhere' }, { ignoreCase: true }).user, 'fromsystem');
  assert.equal(loadSshConfig(join(ssh, 'config'), home, system).compute({ Host: 'elsewhere' }, { ignoreCase: true }).user, undefined);
});

test('destinations: user@host:port, [v6]:port, bad ports', () => {
  assert.deepEqual(parseDestination('admin@bastion:2022'), { user: 'admin', host: 'bastion', port: 2022 });
  assert.deepEqual(parseDestination('[fe80::1]:22'), { user: undefined, host: 'fe80::1', port: 22 });
  assert.deepEqual(parseDestination('node1'), { user: undefined, host: 'node1', port: undefined });
  assert.throws(() => parseDestination('node1:99999'), (e: unknown) => e instanceof PcxFailure && e.code === 'bad-host');
  assert.throws(() => parseDestination('root@'), (e: unknown) => e instanceof PcxFailure && e.code === 'bad-host');
});
