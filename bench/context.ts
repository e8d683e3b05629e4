/**
 * Where and how `npm run bench` measures: the cluster (`--host H [--host H2] [--ssh-config F] [--known-hosts F]
 * [--user U] [--sudo]`, default the project's test cluster, PCX_CLUSTER_INSTANCE honoured), `--quick` (fewer
 * runs, the slow rows skipped) and `--json` (one object per row). run.ts parses the flags once; every bench
 * module asks here.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ClusterTarget } from '../src/core/cluster/live';
import type { SshTarget } from '../src/core/ssh/sshConfig';

export interface BenchContext {
  /** The cluster to measure, or undefined when none is given and the test cluster is not up. */
  readonly target?: ClusterTarget;
  /** The project's own test cluster (rows that break and repair things run only there). */
  readonly isTestCluster: boolean;
  /** ssh_config for the OpenSSH baselines (`ssh -F`). */
  readonly sshConfig?: string;
  readonly quick: boolean;
  readonly json: boolean;
  /** Suite filter (positional): only bench files whose name contains it. */
  readonly only?: string;
  /** The test cluster's cluster.sh instance and state directory. */
  readonly instance: number;
  readonly stateDir: string;
}

function testClusterState(): { instance: number; stateDir: string } {
  const instance = Number(process.env.PCX_CLUSTER_INSTANCE ?? '0');
  const stateDir = process.env.PCX_CLUSTER_STATE ?? (instance === 0 ? '/var/lib/pcx-test-cluster' : `/var/lib/pcx-test-cluster-${instance}`);
  return { instance, stateDir };
}

export function parseBenchArgs(argv: readonly string[]): BenchContext {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      host: { type: 'string', multiple: true, default: [] },
      'ssh-config': { type: 'string' },
      'known-hosts': { type: 'string' },
      user: { type: 'string' },
      sudo: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const { instance, stateDir } = testClusterState();
  const hosts = values.host ?? [];
  const base = { quick: values.quick ?? false, json: values.json ?? false, only: positionals[0], instance, stateDir };
  if (hosts.length > 0) {
    const sshConfig = values['ssh-config'];
    return {
      ...base,
      sshConfig,
      isTestCluster: false,
      target: { hosts, user: values.user, sudo: values.sudo || undefined, sshConfigPath: sshConfig, knownHostsPath: values['known-hosts'] },
    };
  }
  const sshConfig = `${stateDir}/ssh_config`;
  if (!existsSync(sshConfig)) return { ...base, isTestCluster: false };
  return { ...base, sshConfig, isTestCluster: true, target: { hosts: ['node1', 'node2'], user: values.user, sudo: values.sudo || undefined, sshConfigPath: sshConfig } };
}

let current: BenchContext | undefined;

export function setBenchContext(ctx: BenchContext): void {
  current = ctx;
}

/** The context run.ts parsed (a bench file run on its own gets the defaults). */
export function benchContext(): BenchContext {
  current ??= parseBenchArgs([]);
  return current;
}

/** The first host of the target as an SshTarget. */
export function firstHost(target: ClusterTarget): SshTarget {
  return { host: target.hosts[0], user: target.user, port: target.port, identityFile: target.identityFile, sshConfigPath: target.sshConfigPath, knownHostsPath: target.knownHostsPath };
}

/** `ssh` options for the OpenSSH baselines: the same config, known_hosts and user as pcx uses. */
export function sshArgs(ctx: BenchContext): string[] {
  const t = ctx.target;
  if (!t) return [];
  return [
    ...(t.sshConfigPath ? ['-F', t.sshConfigPath] : []),
    ...(t.knownHostsPath ? ['-o', `UserKnownHostsFile=${t.knownHostsPath}`] : []),
    ...(t.user ? ['-l', t.user] : []),
    '-o', 'BatchMode=yes',
  ];
}
