/**
 * Nothing left behind: a view of a shared SshPool for one user of it (a cluster in the explorer) that stops
 * handing out connections once that user is gone. A read still in flight when its cluster is removed (a workload
 * read going node by node, a discovery) would otherwise open a fresh connection after the removal closed the
 * cluster's connections, and that one would outlive it (until the pool's idle timer) and be reused, host-key check
 * skipped, when the cluster is added back. After `end()` every get() fails with 'connection-closed'; the other
 * methods are the pool's own.
 */
import type { SshConnection } from './connection';
import type { SshPool } from './pool';
import type { SshTarget } from './sshConfig';
import { PcxFailure } from '../util/result';

export interface ScopedPool {
  /** The pool to hand to readers: the shared one, except that get() refuses once ended. */
  readonly pool: SshPool;
  /** No new connection from now on. Closing the open ones is the owner's business (only it knows which are shared). */
  end(): void;
  readonly ended: boolean;
}

export function scopedPool(shared: SshPool, what: string): ScopedPool {
  let ended = false;
  const get = (target: SshTarget, options?: Parameters<SshPool['get']>[1]): Promise<SshConnection> => {
    if (ended) return Promise.reject(new PcxFailure('connection-closed', `not connecting to ${target.host}: ${what} was removed or closed`, 'Nothing to do: the reads of a removed cluster stop.', target.host));
    return shared.get(target, options).then((c) => {
      // Opened while the owner went away: it must not outlive it.
      if (ended) {
        shared.close(target);
        throw new PcxFailure('connection-closed', `the connection to ${target.host} was closed: ${what} was removed or closed`, 'Nothing to do: the reads of a removed cluster stop.', target.host);
      }
      return c;
    });
  };
  const pool = new Proxy(shared, {
    get(t, prop) {
      if (prop === 'get') return get;
      const v = Reflect.get(t, prop, t) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
  return {
    pool,
    end: () => {
      ended = true;
    },
    get ended() {
      return ended;
    },
  };
}
