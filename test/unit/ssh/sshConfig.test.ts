// ssh_config resolution: what `ssh -G` would give for the settings pcx uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDestination, resolveHost } from '../../../src/core/ssh/sshConfig';
import { PcxFailure } from '../../../src/core/util/result';

const home = mkdtempSync(join(tmpdir(), 'pcx-home-'));
process.on('exit', () => rmSync(home, { recursive: true, force: true }));
mkdirSync(join(home, '.ssh', 'conf.d'), { recursive: true });
writeFileSync(join(home, '.ssh', 'id_ed25519'), 'not really a key');
writeFileSync(
  join(home, '.ssh', 'config'),
  [
    'Include conf.d/*.conf',
    'Host node1',
    '  HostName 10.213.0.11',
    '  User pcxadmin',
    '  IdentityFile ~/.ssh/cluster_%r',
    'Host node*',
    '  Port 2200',
    '  ServerAliveInterval 7',
    'Host behind',
    '  HostName 192.168.5.5',
    '  ProxyJump admin@bastion:2022,node1',
    'Host bastion',
    '  HostName 10.0.0.254',
    '  IdentitiesOnly yes',
    '  IdentityFile ~/.ssh/bastion',
    'Host pc',
    '  ProxyCommand nc %h %p',
    'Host agentless',
    '  IdentityAgent none',
    '',
  ].join('\n'),
);
writeFileSync(join(home, '.ssh', 'conf.d', '10-kh.conf'), 'Host node2\n  HostName 10.213.0.12\n  UserKnownHostsFile ~/.ssh/cluster_known_hosts\n  HashKnownHosts yes\n');

const renv = { home, localUser: 'alice', env: { SSH_AUTH_SOCK: '/run/agent.sock' } };

test('destinations: user@host:port, [v6]:port, bad ports', () => {
  assert.deepEqual(parseDestination('admin@bastion:2022'), { user: 'admin', host: 'bastion', port: 2022 });
  assert.deepEqual(parseDestination('[fe80::1]:22'), { user: undefined, host: 'fe80::1', port: 22 });
  assert.deepEqual(parseDestination('node1'), { user: undefined, host: 'node1', port: undefined });
  assert.throws(() => parseDestination('node1:99999'), (e: unknown) => e instanceof PcxFailure && e.code === 'bad-host');
  assert.throws(() => parseDestination('root@'), (e: unknown) => e instanceof PcxFailure && e.code === 'bad-host');
});

test('an alias picks up HostName, User, Port, IdentityFile (with %r) and keepalive', () => {
  const r = resolveHost({ host: 'node1' }, renv);
  assert.equal(r.hostName, '10.213.0.11');
  assert.equal(r.user, 'pcxadmin');
  assert.equal(r.port, 2200);
  assert.deepEqual(r.identityFiles, [join(home, '.ssh', 'cluster_pcxadmin')]);
  assert.equal(r.explicitIdentities, true);
  assert.equal(r.serverAliveIntervalMs, 7000);
  assert.equal(r.agentSocket, '/run/agent.sock');
  assert.equal(r.hostKeyName, '10.213.0.11');
  assert.deepEqual(r.userKnownHostsFiles, [join(home, '.ssh', 'known_hosts'), join(home, '.ssh', 'known_hosts2')]);
});

test('explicit settings win over ssh_config, as on the ssh command line', () => {
  const r = resolveHost({ host: 'root@node1:22', identityFile: '~/k', knownHostsPath: '/tmp/kh' }, renv);
  assert.equal(r.user, 'root');
  assert.equal(r.port, 22);
  assert.deepEqual(r.identityFiles, [join(home, 'k')]);
  assert.deepEqual(r.userKnownHostsFiles, ['/tmp/kh']);
  assert.deepEqual(r.globalKnownHostsFiles, []);
});

test('Include is followed (globs relative to ~/.ssh); UserKnownHostsFile and HashKnownHosts come from it', () => {
  const r = resolveHost({ host: 'node2' }, renv);
  assert.equal(r.hostName, '10.213.0.12');
  assert.deepEqual(r.userKnownHostsFiles, [join(home, '.ssh', 'cluster_known_hosts')]);
  assert.equal(r.hashKnownHosts, true);
});

test('an unknown host uses the defaults: local user, port 22, default key files that exist', () => {
  const r = resolveHost({ host: '10.1.2.3' }, renv);
  assert.equal(r.user, 'alice');
  assert.equal(r.port, 22);
  assert.equal(r.explicitIdentities, false);
  assert.ok(r.identityFiles.includes(join(home, '.ssh', 'id_ed25519')));
  assert.equal(r.jumps.length, 0);
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
