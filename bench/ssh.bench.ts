/**
 * SSH transport figures against the real test cluster: connection setup, and per-command latency over the one
 * persistent ssh2 connection, each beside the same thing done the usual way (a new `ssh` process per command,
 * OpenSSH client, same ssh_config and key). Returns [] when the test cluster is not up.
 *
 * Two users, because the login shell's start-up is part of every command: root's ~/.bashrc on this machine runs
 * `pyenv init` (bash reads ~/.bashrc for ssh commands), pcxadmin's shell is clean and goes through sudo -n.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { benchContext } from './context';
import { medianMs as median, type BenchRow } from './lib';
import { SshConnection } from '../src/core/ssh/connection';
import { CommandRunner, commandLine } from '../src/core/remote/runner';
import { cibVersionProbe, crmMonXml } from '../src/core/remote/commands';
import { fetchClusterXml } from '../src/core/cluster/live';
import { SshPool } from '../src/core/ssh/pool';

// The test cluster of PCX_CLUSTER_INSTANCE (bench/context.ts); these rows use its node1 alias and users.
const SSH_CONFIG = `${benchContext().stateDir}/ssh_config`;
const noAgent = { resolveEnv: { env: {} } };

/** A new OpenSSH client process running one command line (what scripts around crm_mon do). */
function sshProcess(user: string, line: string): void {
  const r = spawnSync('ssh', ['-F', SSH_CONFIG, '-l', user, 'node1', line], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`ssh ${user}@node1 ${line}: exit ${r.status}: ${String(r.stderr)}`);
}

export async function bench(): Promise<BenchRow[]> {
  if (!benchContext().isTestCluster || !existsSync(SSH_CONFIG)) {
    process.stderr.write('ssh.bench: no test cluster (bash test/cluster/cluster.sh ensure seed); skipped\n');
    return [];
  }
  const rows: BenchRow[] = [];
  const processRuns = 8;
  const channelRuns = 50;

  const connect = await median(5, async () => (await SshConnection.open({ host: 'node1', sshConfigPath: SSH_CONFIG }, noAgent)).close());
  const sshTrue = await median(processRuns, () => sshProcess('root', 'true'));
  rows.push({ name: 'connect (ssh2: TCP+kex+auth)', value: connect, baselineName: 'ssh node1 true (new process)', baseline: sshTrue });

  for (const [user, sudo] of [['root', false], ['pcxadmin', true]] as const) {
    const conn = await SshConnection.open({ host: 'node1', user, sshConfigPath: SSH_CONFIG }, noAgent);
    try {
      const runner = new CommandRunner(conn, user, sudo);
      const mon = await median(channelRuns, async () => crmMonXml.parse(await runner.run(crmMonXml.argv), 'node1'));
      const monProcess = await median(processRuns, () => sshProcess(user, commandLine(crmMonXml.argv, sudo)));
      rows.push({
        name: `crm_mon XML as ${user}${sudo ? ' (sudo -n)' : ''}, persistent connection`,
        value: mon,
        baselineName: 'same via new ssh process',
        baseline: monProcess,
        note: `median of ${channelRuns} vs ${processRuns}`,
      });
      const probe = await median(channelRuns, async () => cibVersionProbe.parse(await runner.run(cibVersionProbe.argv), 'node1'));
      const probeProcess = await median(processRuns, () => sshProcess(user, commandLine(cibVersionProbe.argv, sudo)));
      rows.push({ name: `CIB version probe as ${user}, persistent`, value: probe, baselineName: 'same via new ssh process', baseline: probeProcess });
      const noop = await median(channelRuns, () => runner.run(['true']));
      rows.push({ name: `empty command (true) as ${user}, persistent`, value: noop, baselineName: 'ssh node1 true (new process)', baseline: await median(processRuns, () => sshProcess(user, 'true')), note: 'channel + login shell cost alone' });
    } finally {
      conn.close();
    }
  }

  const pool = new SshPool(noAgent);
  try {
    const target = { hosts: ['node1', 'node2'], user: 'pcxadmin', sudo: true, sshConfigPath: SSH_CONFIG };
    const fetch = await median(20, () => fetchClusterXml(target, { ...noAgent, pool }));
    const twoProcesses = await median(processRuns, () => {
      sshProcess('pcxadmin', commandLine(crmMonXml.argv, true));
      sshProcess('pcxadmin', commandLine(['cibadmin', '--query', '--local'], true));
    });
    rows.push({ name: 'fetchClusterXml (crm_mon + CIB, pooled, sudo)', value: fetch, baselineName: 'two new ssh processes', baseline: twoProcesses, note: 'both commands in parallel on one connection' });
  } finally {
    pool.closeAll();
  }
  return rows;
}
