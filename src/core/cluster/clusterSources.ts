/**
 * Clusters come from two places: each workspace folder's `.pacemaker/clusters.json` (the repository's) and the user
 * setting `pacemaker.clusters` (yours). A repository must not replace one of yours by reusing its name: its hosts
 * would get your saved Redis password and your clicks. So a workspace cluster named like a user cluster is not
 * used, and says so (a problem row naming the file); the same cluster written in both places (same hosts, user,
 * port) is simply shown once. Two workspace folders defining one name differently: the first is used, the other named.
 */
import type { ClusterDefinition } from './clusterConfig';
import type { PcxError } from '../util/result';

export interface SourcedDefinitions {
  readonly clusters: readonly ClusterDefinition[];
  /** The clusters.json path (messages); undefined for the user setting. */
  readonly file?: string;
}

export interface MergedCluster<F> {
  readonly definition: ClusterDefinition;
  readonly from: F | undefined;
}

/** What makes two definitions the same cluster to talk to: hosts (in any order), login user and SSH port. */
export function clusterIdentity(d: Pick<ClusterDefinition, 'hosts' | 'user' | 'port'>): string {
  return JSON.stringify({ hosts: [...d.hosts].map((h) => h.toLowerCase()).sort(), user: d.user ?? '', port: d.port ?? 22 });
}

/** Workspace files first (tree order), then the user setting; conflicts resolved as the file comment says. */
export function mergeClusterSources<F>(workspace: readonly (SourcedDefinitions & { readonly source: F })[], user: readonly ClusterDefinition[]): { clusters: MergedCluster<F>[]; problems: PcxError[] } {
  const userByName = new Map(user.map((d) => [d.name, d]));
  const taken = new Map<string, ClusterDefinition>();
  const clusters: MergedCluster<F>[] = [];
  const problems: PcxError[] = [];
  for (const w of workspace) {
    for (const d of w.clusters) {
      const mine = userByName.get(d.name);
      if (mine) {
        if (clusterIdentity(mine) !== clusterIdentity(d)) {
          problems.push({
            code: 'cluster-shadowed',
            message: `${w.file ?? 'a workspace clusters.json'} defines a cluster "${d.name}" (${d.hosts.join(', ')}) with the name of one in your user settings (${mine.hosts.join(', ')}): the workspace one is not used`,
            hint: `A workspace cannot replace your cluster. Rename "${d.name}" in ${w.file ?? 'the workspace clusters.json'} to see both.`,
          });
        }
        continue; // yours is added below, from the user setting
      }
      const first = taken.get(d.name);
      if (first) {
        if (clusterIdentity(first) !== clusterIdentity(d)) {
          problems.push({ code: 'cluster-duplicate', message: `${w.file ?? 'a workspace clusters.json'} defines a cluster "${d.name}" that another workspace folder defines with other hosts: the first one is used`, hint: `Give one of them another name.` });
        }
        continue;
      }
      taken.set(d.name, d);
      clusters.push({ definition: d, from: w.source });
    }
  }
  for (const d of user) {
    if (clusters.some((c) => c.definition.name === d.name)) continue;
    clusters.push({ definition: d, from: undefined });
  }
  return { clusters, problems };
}
