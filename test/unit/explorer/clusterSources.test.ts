// Issue 29 §5: a repository's clusters.json cannot shadow a user's cluster, a saved Redis password follows the
// cluster's identity (hosts, user, port) and not its name, and the History webview's nonce is unguessable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterDefinition } from '../../../src/core/cluster/clusterConfig';
import { clusterIdentity, mergeClusterSources } from '../../../src/core/cluster/clusterSources';
import { legacyRedisSecretKey, mayMigrateLegacySecret, readRedisSecret, redisSecretKey } from '../../../src/core/cluster/secretKeys';
import { webviewNonce } from '../../../src/core/util/nonce';

const root = join(__dirname, '..', '..', '..');
const mine: ClusterDefinition = { name: 'prod', hosts: ['db1.corp', 'db2.corp'], user: 'admin' };
const theirs: ClusterDefinition = { name: 'prod', hosts: ['evil1.example', 'evil2.example'] };

class FakeSecrets {
  readonly data = new Map<string, string>();
  get(k: string) { return Promise.resolve(this.data.get(k)); }
  store(k: string, v: string) { this.data.set(k, v); return Promise.resolve(); }
  delete(k: string) { this.data.delete(k); return Promise.resolve(); }
}

test('a workspace cluster named like a user cluster is not used, and a problem row says so with the file', () => {
  const r = mergeClusterSources([{ clusters: [theirs, { name: 'lab', hosts: ['lab1'] }], file: '/repo/.pacemaker/clusters.json', source: 'repo' }], [mine]);
  assert.deepEqual(r.clusters.map((c) => [c.definition.name, c.definition.hosts.join(','), c.from ?? 'user']), [['lab', 'lab1', 'repo'], ['prod', 'db1.corp,db2.corp', 'user']]);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0]!.code, 'cluster-shadowed');
  assert.match(r.problems[0]!.message, /\/repo\/\.pacemaker\/clusters\.json defines a cluster "prod" \(evil1\.example, evil2\.example\).*not used/);
  assert.match(r.problems[0]!.hint ?? '', /Rename "prod"/);
  // The same cluster in both places (hosts in another order, same user and port): shown once, no problem.
  const same = mergeClusterSources([{ clusters: [{ ...mine, hosts: ['DB2.corp', 'db1.corp'] }], file: 'f', source: 'repo' }], [mine]);
  assert.equal(same.clusters.length, 1);
  assert.equal(same.problems.length, 0);
  // Two workspace folders, one name, other hosts: the first is used and the second named.
  const two = mergeClusterSources([{ clusters: [{ name: 'x', hosts: ['a'] }], file: 'f1', source: 1 }, { clusters: [{ name: 'x', hosts: ['b'] }], file: 'f2', source: 2 }], []);
  assert.deepEqual(two.clusters.map((c) => c.from), [1]);
  assert.equal(two.problems[0]?.code, 'cluster-duplicate');
});

test('the check can fail: today\'s store (first place wins, silently) gives the repository\'s hosts the name', () => {
  const seen = new Set<string>();
  const today = [theirs, mine].filter((d) => (seen.has(d.name) ? false : (seen.add(d.name), true)));
  assert.deepEqual(today[0]!.hosts, theirs.hosts);
  assert.notEqual(redisSecretKey(theirs), redisSecretKey(mine), 'with identity keys the two never share a password');
});

test('Redis password keys: by identity, not name; a name-keyed password moves only to the user\'s own cluster', async () => {
  assert.equal(redisSecretKey(mine), redisSecretKey({ ...mine, name: 'renamed', hosts: ['db2.corp', 'DB1.corp'] }), 'rename and host order do not matter');
  assert.notEqual(redisSecretKey(mine), redisSecretKey({ ...mine, port: 2222 }));
  assert.notEqual(redisSecretKey(mine), redisSecretKey({ ...mine, user: 'root' }));
  assert.equal(clusterIdentity({ hosts: ['a'] }), clusterIdentity({ hosts: ['a'], port: 22, user: '' }));

  // An old install saved "prod"'s password under the name. The repository's "prod" must not get it…
  const s = new FakeSecrets();
  s.data.set(legacyRedisSecretKey('prod'), 's3cret');
  assert.equal(mayMigrateLegacySecret(theirs, [mine]), false);
  assert.equal(await readRedisSecret(s, theirs, [mine]), undefined);
  assert.equal(await readRedisSecret(s, theirs, []), undefined, 'nor when no user cluster has the name');
  assert.equal(s.data.get(legacyRedisSecretKey('prod')), 's3cret', 'and the old key is left alone');
  // …the user's own "prod" gets it, moved to its identity key.
  assert.equal(await readRedisSecret(s, mine, [mine]), 's3cret');
  assert.equal(s.data.get(redisSecretKey(mine)), 's3cret');
  assert.equal(s.data.has(legacyRedisSecretKey('prod')), false);
  assert.equal(await readRedisSecret(s, theirs, [mine]), undefined, 'and never the repository\'s afterwards');
});

test('History webview: the nonce comes from crypto.randomBytes (128 bits), local resources are off', () => {
  const nonces = new Set(Array.from({ length: 1000 }, webviewNonce));
  assert.equal(nonces.size, 1000);
  for (const n of nonces) assert.equal(Buffer.from(n, 'base64').length, 16);
  const src = readFileSync(join(root, 'src', 'extension', 'logs', 'history.ts'), 'utf8');
  assert.doesNotMatch(src, /Math\.random/);
  assert.match(src, /const nonce = webviewNonce\(\);/);
  assert.match(src, /createWebviewPanel\([^)]*localResourceRoots: \[\]/);
  assert.match(readFileSync(join(root, 'src', 'core', 'util', 'nonce.ts'), 'utf8'), /randomBytes\(16\)/);
  // The extension's stores use the identity key and the merge (no name-keyed secret left in the code).
  const workload = readFileSync(join(root, 'src', 'extension', 'explorer', 'workloadWatch.ts'), 'utf8');
  assert.doesNotMatch(workload, /password\/\$\{cluster\}/);
  assert.match(readFileSync(join(root, 'src', 'extension', 'explorer', 'clusterStore.ts'), 'utf8'), /mergeClusterSources\(workspace, user\)/);
});
