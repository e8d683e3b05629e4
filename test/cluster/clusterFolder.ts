// A cluster folder (corosync.conf + one spec) for this instance of the test cluster, shared by the bootstrap
// cluster test and the UI test.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { NODE_ADDR, SSH_CONFIG, STATE_DIR, VIP } from './helpers';

/** The reference user's cluster as a folder: corosync.conf (this instance's addresses) and one spec file. */
export function writeClusterFolder(dir: string, vipAddress = VIP): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'corosync.conf'), `totem {
    version: 2
    cluster_name: cluster1
    transport: knet
    crypto_cipher: aes256
    crypto_hash: sha256
}

nodelist {
    node {
        ring0_addr: ${NODE_ADDR.node1}
        name: node1
        nodeid: 1
    }

    node {
        ring0_addr: ${NODE_ADDR.node2}
        name: node2
        nodeid: 2
    }
}

quorum {
    provider: corosync_votequorum
    two_node: 1
}

logging {
    to_logfile: yes
    logfile: /var/log/cluster/corosync.log
    to_syslog: no
    timestamp: on
}
`);
  writeFileSync(path.join(dir, 'redis.crm'), `# The reference Redis pair: a promotable redis clone and a VIP that follows the Promoted instance.
primitive redis ocf:heartbeat:redis \\
\top start timeout=300s interval=0s \\
\top monitor interval=5s \\
\top monitor interval=3s role=Promoted
clone redis-clone redis \\
\tmeta promotable=true notify=true
primitive VIP ocf:heartbeat:IPaddr2 \\
\tparams ip=${vipAddress} cidr_netmask=24 nic=eth0 \\
\top monitor interval=10s
colocation VIP-with-promoted-redis inf: VIP redis-clone:Promoted
# A test cluster without fence devices.
# pcx-disable-next-line crm/stonith-disabled
property stonith-enabled=false
# pcx-disable-next-line crm/migration-threshold
rsc_defaults resource-stickiness=INFINITY migration-threshold=1
`);
}


/** A command on a node with `input` on its stdin (the helpers' ssh has no stdin). */
export function sshWithInput(node: string, command: string, input: string): void {
  const r = spawnSync('ssh', ['-F', SSH_CONFIG, '-o', 'BatchMode=yes', node, command], { encoding: 'utf8', input, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${node}: ${command}: exit ${r.status}: ${r.stderr}`);
}

/** Puts the seed's resources and constraints back as seeded (cluster.sh compares them byte for byte). */
export function restoreSeedConfiguration(): void {
  for (const section of ['resources', 'constraints']) sshWithInput('node1', `cibadmin --replace --scope ${section} --xml-pipe`, readFileSync(path.join(STATE_DIR, `seed-${section}.xml`), 'utf8'));
}
