/**
 * "Add Cluster": one host → connect (unknown host key → the fingerprint modal) → if login fails, ask
 * for user and key → discover the other nodes from that one → name (default: the CIB's
 * cluster-name) → save the definition (hosts, user, key path; never a secret).
 */
import * as vscode from 'vscode';
import { parseCib } from '../../core/cluster/cib';
import type { ClusterDefinition } from '../../core/cluster/clusterConfig';
import { discoverNodes, fetchClusterXml, type ClusterTarget } from '../../core/cluster/live';
import { parseDestination } from '../../core/ssh/sshConfig';
import { PcxFailure } from '../../core/util/result';
import { sshSettings } from './clusterStore';
import type { ClusterExplorer } from './explorer';

const AUTH_CODES = new Set(['auth-failed', 'permission-denied', 'no-identity', 'key-unreadable']);

export async function addClusterFlow(explorer: ClusterExplorer, log: vscode.LogOutputChannel): Promise<void> {
  const spec = await vscode.window.showInputBox({
    title: 'Add Pacemaker Cluster (1/3)',
    prompt: 'One node of the cluster: an ssh_config alias or an address, optionally user@host:port',
    placeHolder: 'node1   or   admin@10.0.0.11',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' ? 'Enter a host' : /\s/.test(v.trim()) ? 'A host has no spaces' : v.trim().startsWith('-') ? 'A host cannot start with "-"' : undefined),
  });
  if (!spec) return;
  const dest = parseDestination(spec);
  let target: ClusterTarget = { hosts: [dest.host], user: dest.user, port: dest.port, ...sshSettings() };

  const discover = () =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Connecting to ${dest.host}…`, cancellable: false }, () =>
      discoverNodes(target, { pool: explorer.pool }),
    );

  let discovered;
  for (let attempt = 0; ; attempt++) {
    try {
      discovered = await discover();
      break;
    } catch (e) {
      const f = e instanceof PcxFailure ? e : new PcxFailure('internal-error', e instanceof Error ? e.message : String(e), 'See the log (Pacemaker output channel).');
      log.warn(`add cluster: ${dest.host}: ${f.message}${f.hint ? ` — ${f.hint}` : ''}`);
      if (attempt === 0 && AUTH_CODES.has(f.code)) {
        const more = await askCredentials(target, f);
        if (!more) return;
        target = more;
        continue;
      }
      // The hint goes into the text: a non-modal notification does not show `detail`.
      const choice = await vscode.window.showErrorMessage(`Cannot add a cluster from ${dest.host}: ${f.message}${f.hint ? ` — ${f.hint}` : ''}`, 'Show Log');
      if (choice === 'Show Log') log.show();
      return;
    }
  }

  // Default name: cluster-name from the CIB, when it can be read.
  let suggested = 'cluster1';
  try {
    const xml = await fetchClusterXml({ ...target, hosts: [discovered.host] }, { pool: explorer.pool });
    const cib = parseCib(xml.cibXml ?? '');
    if (cib.ok && cib.value.properties['cluster-name']) suggested = cib.value.properties['cluster-name'];
  } catch (e) {
    log.debug(`add cluster: reading cluster-name: ${e instanceof Error ? e.message : String(e)}`);
  }
  const taken = new Set(explorer.clusterNames);
  while (taken.has(suggested)) suggested = suggested.replace(/(\d*)$/, (m) => String(Number(m || '1') + 1));

  const hosts = discovered.hosts.length > 0 ? [...discovered.hosts] : [dest.host];
  // Keep the host the user typed first: it is the one that is known to work.
  const typedFirst = [dest.host, ...hosts.filter((h) => h !== dest.host && h !== discovered.localName)];
  const name = await vscode.window.showInputBox({
    title: 'Add Pacemaker Cluster (2/3)',
    prompt: `Found ${discovered.members.length} node(s): ${discovered.members.map((m) => m.name).join(', ')}. Name for this cluster:`,
    value: suggested,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' ? 'Enter a name' : taken.has(v.trim()) ? `"${v.trim()}" already exists` : undefined),
  });
  if (!name) return;
  const hostList = await vscode.window.showInputBox({
    title: 'Add Pacemaker Cluster (3/3)',
    prompt: 'Hosts to connect to, in order (comma-separated; the first answering one is used)',
    value: typedFirst.join(', '),
    ignoreFocusOut: true,
    validateInput: (v) => (v.split(',').map((h) => h.trim()).filter(Boolean).length === 0 ? 'Enter at least one host' : undefined),
  });
  if (!hostList) return;
  const def: ClusterDefinition = {
    name: name.trim(),
    hosts: hostList.split(',').map((h) => h.trim()).filter(Boolean),
    user: target.user,
    port: target.port,
    identityFile: target.identityFile,
  };
  const where = await explorer.store.add(def);
  log.info(`added cluster ${def.name} (${def.hosts.join(', ')}) to ${where}`);
  void vscode.window.showInformationMessage(`Cluster ${def.name} saved to ${where}.`);
  await explorer.focus();
}

async function askCredentials(target: ClusterTarget, failure: PcxFailure): Promise<ClusterTarget | undefined> {
  const user = await vscode.window.showInputBox({
    title: 'SSH login',
    prompt: `${failure.message}. User to log in as:`,
    value: target.user ?? 'root',
    ignoreFocusOut: true,
  });
  if (!user) return undefined;
  const key = await vscode.window.showOpenDialog({ title: 'SSH private key (Cancel: use the agent and default keys)', canSelectMany: false, openLabel: 'Use this key' });
  return { ...target, user: user.trim(), identityFile: key?.[0]?.fsPath ?? target.identityFile };
}
