/**
 * Where a cluster's Redis password lives in VS Code's SecretStorage: keyed by the cluster's identity (hosts, login
 * user, SSH port), not by its name, so a different cluster that takes the name (another repository's clusters.json)
 * never gets it. Passwords saved before were keyed by the name alone; such a key is moved to the identity key only
 * for the cluster of that name in the user's own settings, when it is the cluster being asked about (same identity).
 * A workspace cluster asks for its password once instead.
 */
import { createHash } from 'node:crypto';
import type { ClusterDefinition } from './clusterConfig';
import { clusterIdentity } from './clusterSources';

type Identity = Pick<ClusterDefinition, 'name' | 'hosts' | 'user' | 'port'>;

export function redisSecretKey(c: Identity): string {
  return `pacemaker.redis.password/id/${createHash('sha256').update(clusterIdentity(c)).digest('hex').slice(0, 32)}`;
}

/** The key used before passwords were keyed by identity. */
export function legacyRedisSecretKey(name: string): string {
  return `pacemaker.redis.password/${name}`;
}

/** May the name-keyed password be moved to `target`'s identity key? Only for the user's own cluster of that name. */
export function mayMigrateLegacySecret(target: Identity, userClusters: readonly Identity[]): boolean {
  const mine = userClusters.find((d) => d.name === target.name);
  return mine !== undefined && clusterIdentity(mine) === clusterIdentity(target);
}

/** The password for `target`, migrating a name-keyed one when allowed. `store` is SecretStorage's shape. */
export async function readRedisSecret(
  store: { get(key: string): PromiseLike<string | undefined>; store(key: string, value: string): PromiseLike<void>; delete(key: string): PromiseLike<void> },
  target: Identity,
  userClusters: readonly Identity[],
): Promise<string | undefined> {
  const key = redisSecretKey(target);
  const value = await store.get(key);
  if (value) return value;
  if (!mayMigrateLegacySecret(target, userClusters)) return undefined;
  const legacy = await store.get(legacyRedisSecretKey(target.name));
  if (!legacy) return undefined;
  await store.store(key, legacy);
  await store.delete(legacyRedisSecretKey(target.name));
  return legacy;
}
