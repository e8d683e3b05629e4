// The dead-host memory (src/core/ssh/deadHosts.ts) and the pool's use of it: a host found dead by one reader
// fails the next reader's get() at once with what it did, is retried in the background, and is forgotten
// after the TTL or as soon as it connects; "tools hang" (not transport) does not block SSH readers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeadHosts } from '../../../src/core/ssh/deadHosts';
import { SshPool } from '../../../src/core/ssh/pool';
import { PcxFailure } from '../../../src/core/util/result';

const unreachable = new PcxFailure('unreachable', 'no TCP connection to node1\'s SSH port within 1.5 s', 'check the path', 'node1');

test('DeadHosts: remembered for the TTL, with how long ago; a transport death is not weakened by a later "tools hang"', () => {
  let t = 1_000;
  const d = new DeadHosts(30_000, () => t);
  d.mark('k', unreachable, true);
  t += 2_000;
  assert.match(d.failureFor('k')!.message, /^no TCP connection to node1's SSH port within 1\.5 s \(found 2 s ago in this read; not waited on again, retried in the background\)$/);
  assert.equal(d.failureFor('k')!.code, 'unreachable');
  d.mark('k', new PcxFailure('not-answering', 'tools hang', undefined, 'node1'), false);
  assert.equal(d.get('k')!.transport, true);
  t += 30_001;
  assert.equal(d.get('k'), undefined);
});

test('SshPool: a host marked dead fails get() at once (no connect wait) unless evenIfDead; resetBackoff forgets it', async () => {
  // 127.0.0.1:1 refuses at once: the background retry cannot hang the test.
  const target = { host: '127.0.0.1', port: 1, sshConfigPath: null, knownHostsPath: '/dev/null' };
  const pool = new SshPool({ resolveEnv: { env: {} } }, { attempts: 1 });
  try {
    pool.markDead(target, unreachable, true);
    const t0 = Date.now();
    await assert.rejects(pool.get(target), (e: unknown) => e instanceof PcxFailure && e.code === 'unreachable' && /not waited on again/.test(e.message));
    assert.ok(Date.now() - t0 < 100, `failed at once, not after ${Date.now() - t0} ms`);
    // The one reader with nobody else to ask really tries (here: refused).
    await assert.rejects(pool.get(target, { evenIfDead: true }), (e: unknown) => e instanceof PcxFailure && /refused/.test(e.message));
    // Only the cluster tools hang: SSH readers still connect (refused here, but tried).
    const other = { ...target, port: 2 };
    pool.markDead(other, new PcxFailure('not-answering', 'tools hang', undefined, '127.0.0.1'), false);
    await assert.rejects(pool.get(other), (e: unknown) => e instanceof PcxFailure && /refused/.test(e.message));
    pool.resetBackoff(target);
    assert.equal(pool.dead.get(SshPool.key(target)), undefined);
  } finally {
    pool.closeAll();
  }
});
