/**
 * "New Cluster Folder": corosync.conf and a spec for the reference setup — a promotable redis clone and a VIP
 * that follows the Promoted instance, started after the promotion — for the nodes and addresses the user names.
 * Both pass our linters without errors and `corosync -t`; the spec's one warning (no fencing yet) is left for
 * the user to see and fix. Bootstrap creates the authkey that crypto needs.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addressFamily } from '../corosync/model';
import { PcxFailure } from '../util/result';

export interface TemplateNode {
  readonly name: string;
  readonly address: string;
}

export interface TemplateInput {
  readonly clusterName: string;
  readonly nodes: readonly TemplateNode[];
  readonly vip: string;
  /** Prefix length of the VIP's network; default 24. */
  readonly cidrNetmask?: number;
  /** The interface the VIP goes on; default eth0. */
  readonly nic?: string;
}

export const TEMPLATE_SPEC_FILE = 'cluster.crm';
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/** What is wrong with a value the user typed (undefined: fine), for input boxes and the template alike. */
export function templateProblem(kind: 'cluster name' | 'node name' | 'address' | 'interface', value: string): string | undefined {
  if (kind === 'address') return addressFamily(value) === 4 && value.split('.').every((o) => Number(o) <= 255) ? undefined : addressFamily(value) === 6 ? undefined : `${JSON.stringify(value)} is not an IPv4 or IPv6 address`;
  if (kind === 'interface') return /^[A-Za-z0-9_.:-]{1,15}$/.test(value) ? undefined : `${JSON.stringify(value)} is not an interface name`;
  return NAME.test(value) ? undefined : `${JSON.stringify(value)} is not a valid ${kind}: letters, digits, '.', '_' and '-', starting with a letter or digit`;
}

function check(input: TemplateInput): void {
  const problems = [
    templateProblem('cluster name', input.clusterName),
    ...input.nodes.flatMap((n) => [templateProblem('node name', n.name), templateProblem('address', n.address)]),
    templateProblem('address', input.vip),
    templateProblem('interface', input.nic ?? 'eth0'),
    input.nodes.length < 2 ? `a cluster needs at least 2 nodes, not ${input.nodes.length}` : undefined,
    new Set(input.nodes.map((n) => n.name)).size !== input.nodes.length ? 'two nodes have the same name' : undefined,
    new Set(input.nodes.map((n) => n.address)).size !== input.nodes.length ? 'two nodes have the same address' : undefined,
    input.nodes.some((n) => n.address === input.vip) ? 'the VIP is also a node address' : undefined,
  ].filter((p): p is string => !!p);
  if (problems.length) throw new PcxFailure('template-invalid', `cannot make the cluster folder: ${problems.join('; ')}`, 'Give node names, one address per node, and a free address for the VIP.');
}

export function clusterFolderTemplate(input: TemplateInput): { corosyncConf: string; spec: string } {
  check(input);
  const nodes = input.nodes.map((n, i) => `    node {\n        ring0_addr: ${n.address}\n        name: ${n.name}\n        nodeid: ${i + 1}\n    }\n`).join('\n');
  // Two nodes: two_node (which implies wait_for_all) keeps quorum when one of them is gone.
  const quorum = input.nodes.length === 2 ? '    provider: corosync_votequorum\n    two_node: 1\n    wait_for_all: 1\n' : '    provider: corosync_votequorum\n';
  const corosyncConf = `totem {
    version: 2
    cluster_name: ${input.clusterName}
    transport: knet
    crypto_cipher: aes256
    crypto_hash: sha256
}

nodelist {
${nodes}}

quorum {
${quorum}}

logging {
    to_logfile: yes
    logfile: /var/log/cluster/corosync.log
    to_syslog: yes
    timestamp: on
}
`;
  const spec = `# ${input.clusterName}: a Redis master/replica pair under Pacemaker. The redis agent promotes one instance
# (Promoted = master) and makes the others replicas of it; the VIP follows the Promoted instance.
primitive redis ocf:heartbeat:redis \\
\top start timeout=300s interval=0s \\
\top monitor interval=5s \\
\top monitor interval=3s role=Promoted
clone redis-clone redis \\
\tmeta promotable=true notify=true
primitive VIP ocf:heartbeat:IPaddr2 \\
\tparams ip=${input.vip} cidr_netmask=${input.cidrNetmask ?? 24} nic=${input.nic ?? 'eth0'} \\
\top monitor interval=10s
colocation VIP-with-promoted-redis inf: VIP redis-clone:Promoted
# The address moves only once the new master is promoted.
order VIP-after-redis-promote Mandatory: redis-clone:promote VIP:start
# No fence device yet: add one (a stonith:fence_* primitive) and remove this line before production.
property stonith-enabled=false
rsc_defaults resource-stickiness=INFINITY
`;
  return { corosyncConf, spec };
}

/** Writes the template into `dir` (created if needed); refuses, writing nothing, where a cluster folder's file is. */
export async function createClusterFolder(dir: string, input: TemplateInput): Promise<{ corosyncFile: string; specFile: string }> {
  const t = clusterFolderTemplate(input);
  try {
    await mkdir(dir, { recursive: true });
    const existing = (await readdir(dir)).filter((n) => n === 'corosync.conf' || n.endsWith('.crm'));
    if (existing.length) throw new PcxFailure('folder-exists', `${dir} already holds ${existing.join(', ')}; a new cluster folder never overwrites files`, 'Choose another folder name, or edit the files that are there.');
    const corosyncFile = join(dir, 'corosync.conf');
    const specFile = join(dir, TEMPLATE_SPEC_FILE);
    // 'wx': fail rather than overwrite, should a file appear between the check and the write.
    await writeFile(corosyncFile, t.corosyncConf, { flag: 'wx' });
    await writeFile(specFile, t.spec, { flag: 'wx' });
    return { corosyncFile, specFile };
  } catch (e) {
    if (e instanceof PcxFailure) throw e;
    throw new PcxFailure('folder-write-failed', `cannot create the cluster folder ${dir}: ${(e as Error).message}`, 'Check that the folder is writable and has room.');
  }
}
