// How socket and ssh2 errors become failures a user can act on. DNS failure is checked here, not live: a real
// lookup would leave the machine (the test network rule allows only loopback and the test cluster).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectFailure } from '../../../src/core/ssh/connection';
import { resolveHost } from '../../../src/core/ssh/sshConfig';

const hop = resolveHost({ host: 'admin@db1.example:2222', sshConfigPath: null }, { home: '/nonexistent', localUser: 'me', env: {} });
const sysErr = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

test('DNS, refused, unreachable, TCP timeout, reset: each its own code, naming host and port', () => {
  const cases: Array<[Error, string, RegExp]> = [
    [sysErr('ENOTFOUND'), 'dns-failed', /cannot resolve host name "db1\.example"/],
    [sysErr('EAI_AGAIN'), 'dns-failed', /HostName for db1\.example/],
    [sysErr('ECONNREFUSED'), 'unreachable', /connection refused on db1\.example:2222/],
    [sysErr('EHOSTUNREACH'), 'unreachable', /no route to db1\.example:2222/],
    [sysErr('ETIMEDOUT'), 'timeout', /connecting to db1\.example:2222 timed out/],
    [sysErr('ECONNRESET'), 'connection-lost', /closed the connection during the SSH handshake/],
  ];
  for (const [e, code, pattern] of cases) {
    const f = connectFailure(e, hop, [], 10_000);
    assert.equal(f.code, code, e.message);
    assert.equal(f.host, 'db1.example');
    assert.ok(f.hint);
    assert.match(`${f.message} ${f.hint}`, pattern);
  }
});

test('ssh2 levels: handshake timeout, authentication (with what was tried), protocol', () => {
  const timeout = connectFailure(Object.assign(new Error('Timed out while waiting for handshake'), { level: 'client-timeout' }), hop, [], 7000);
  assert.equal(timeout.code, 'timeout');
  assert.match(timeout.message, /no SSH handshake from db1\.example:2222 within 7 s/);
  const auth = connectFailure(Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' }), hop, [{ method: 'publickey', what: '/k/id', outcome: 'rejected by server' }], 7000);
  assert.equal(auth.code, 'auth-failed');
  assert.match(auth.message, /admin@db1\.example refused every key offered\. Tried: \/k\/id — rejected by server/);
  const none = connectFailure(Object.assign(new Error('x'), { level: 'client-authentication' }), hop, [], 7000);
  assert.match(none.message, /no key was available to try/);
  const proto = connectFailure(Object.assign(new Error('Bad identification start'), { level: 'protocol' }), hop, [], 7000);
  assert.equal(proto.code, 'ssh-protocol');
});
