// INFO replication and `ip -o -4 addr show` as captured on the test cluster (test/fixtures/workload/README.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseReplicationInfo } from '../../../src/core/workload/redis/info';
import { parseIpAddrShow } from '../../../src/core/workload/vip';

const fixture = (name: string) => readFileSync(join(__dirname, '..', '..', 'fixtures', 'workload', name), 'utf8');

test('INFO replication of the master: role, its offset and the replica it lists', () => {
  assert.deepEqual(parseReplicationInfo(fixture('master.info.txt')), {
    role: 'primary',
    offset: 28,
    replicas: [{ address: '10.213.8.12', port: 6379, offset: 28, state: 'online' }],
  });
});

test('INFO replication of the replica: its master (a node name), link up, applied offset', () => {
  assert.deepEqual(parseReplicationInfo(fixture('replica.info.txt')), { role: 'replica', sourceHost: 'node1', sourcePort: 6379, linkUp: true, offset: 28, syncInProgress: false });
});

test('a replica whose link is down (the agent points new replicas at no-such-master until one is promoted)', () => {
  const r = parseReplicationInfo('role:slave\nmaster_host:no-such-master\nmaster_port:6379\nmaster_link_status:down\nslave_repl_offset:0\n');
  assert.equal(r?.linkUp, false);
  assert.equal(r?.sourceHost, 'no-such-master');
});

test('text without a role is not INFO replication', () => {
  assert.equal(parseReplicationInfo('-ERR unknown command\r\n'), undefined);
  assert.equal(parseReplicationInfo(''), undefined);
});

test('ip -o -4 addr show: every address with its interface and prefix, the VIP as a secondary', () => {
  assert.deepEqual(parseIpAddrShow(fixture('ip-addr.txt')), [
    { nic: 'lo', address: '127.0.0.1', prefix: 8 },
    { nic: 'eth0', address: '10.213.8.11', prefix: 24 },
    { nic: 'eth0', address: '10.213.8.100', prefix: 24 },
  ]);
  assert.deepEqual(parseIpAddrShow('3: eth1@if12    inet 192.0.2.5/28 brd 192.0.2.15 scope global eth1\\ valid_lft forever\n'), [{ nic: 'eth1', address: '192.0.2.5', prefix: 28 }]);
});
