/**
 * "Add Cluster": one host → connect (unknown host key → the fingerprint modal) → if login fails, ask
 * for user and key; if the user may not read the cluster, offer "Use sudo" with the sudoers rule to add (and
 * verify it works before saving) → discover the other nodes from that one → name (default: the CIB's
 * cluster-name) → save the definition (hosts, user, key path, sudo; never a secret).
 */
import { ROOT_EQUIVALENT_NOTE } from '../../core/remote/runner';
import * as vscode from 'vscode';
import { parseCib } from '../../core/cluster/cib';
import { clusterNameProblem, type ClusterDefinition } from '../../core/cluster/clusterConfig';
import { discoverNodes, fetchClusterXml, type ClusterTarget, type ClusterXml } from '../../core/cluster/live';
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
  // The host was typed by the user just now: its unknown key is a question for them, not a discovered node's.
  explorer.hostKeys.allow(dest.host);

  const discover = () =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Connecting to ${dest.host}…`, cancellable: false }, () =>
      discoverNodes(target, { pool: explorer.pool }),
    );

  let discovered;
  let xml: ClusterXml | undefined;
  let credentialsAsked = false;
  for (;;) {
    try {
      discovered = await discover();
      // The status read the explorer will do, with these settings (with sudo: the sudoers rule really works).
      xml = await fetchClusterXml({ ...target, hosts: [discovered.host] }, { pool: explorer.pool });
      break;
    } catch (e) {
      const f = e instanceof PcxFailure ? e : new PcxFailure('internal-error', e instanceof Error ? e.message : String(e), 'See the log (Pacemaker output channel).');
      log.warn(`add cluster: ${dest.host}${target.sudo ? ' (sudo)' : ''}: ${f.message}${f.hint ? ` — ${f.hint}` : ''}`);
      if (f.remedy?.sudo) {
        const choice = await offerSudo(dest.host, f.message, f.remedy.sudo, target.sudo ?? false);
        if (choice === 'sudo') {
          target = { ...target, sudo: true };
          continue;
        }
        if (choice !== 'login') return;
      }
      if (!credentialsAsked && (AUTH_CODES.has(f.code) || f.remedy?.sudo)) {
        credentialsAsked = true;
        const more = await askCredentials(target, f);
        if (!more) return;
        target = { ...more, sudo: undefined };
        continue;
      }
      // The hint goes into the text: a non-modal notification does not show `detail`.
      const choice = await vscode.window.showErrorMessage(`Cannot add a cluster from ${dest.host}: ${f.message}${f.hint ? ` — ${f.hint}` : ''}`, 'Show Log');
      if (choice === 'Show Log') log.show();
      return;
    }
  }
  if (xml.cibFailure) {
    // crm_mon works, the CIB does not (e.g. the sudoers rule names crm_mon only): the view will lack constraints.
    void vscode.window.showWarningMessage(`${discovered.host}: the CIB cannot be read, so the explorer will show the status without constraints and definitions: ${xml.cibFailure.message}${xml.cibFailure.hint ? ` — ${xml.cibFailure.hint}` : ''}`);
  }

  // Default name: cluster-name from the CIB, when it can be read.
  let suggested = 'cluster1';
  const cib = xml.cibXml !== undefined ? parseCib(xml.cibXml) : undefined;
  if (cib?.ok && cib.value.properties['cluster-name']) suggested = cib.value.properties['cluster-name'];
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
    validateInput: (v) => (v.trim() === '' ? 'Enter a name' : taken.has(v.trim()) ? `"${v.trim()}" already exists` : clusterNameProblem(v) && `The name ${clusterNameProblem(v)}.`),
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
    ...(target.sudo ? { sudo: true } : {}),
  };
  const where = await explorer.store.add(def);
  log.info(`added cluster ${def.name} (${def.hosts.join(', ')}) to ${where}`);
  void vscode.window.showInformationMessage(`Cluster ${def.name} saved to ${where}.`);
  await explorer.focus();
}

/**
 * The user logged in but may not read the cluster (or sudo refused): offer sudo, with the rule every node needs.
 * 'sudo' → try (again) with sudo; 'login' → ask for another user; undefined → give up.
 */
async function offerSudo(host: string, problem: string, sudo: { user: string; rule: string }, already: boolean): Promise<'sudo' | 'login' | undefined> {
  const rule = `${sudo.rule}`;
  const detail = already
    ? `sudo did not let ${sudo.user} run the cluster tools without a password. On every node, add (visudo -f /etc/sudoers.d/pcx):\n\n${rule}\n\n${ROOT_EQUIVALENT_NOTE}\n\nthen try again.`
    : `pcx can run the cluster tools it reads with through "sudo -n" (it never types a password). On every node, this sudoers rule allows it (visudo -f /etc/sudoers.d/pcx):\n\n${rule}\n\n${ROOT_EQUIVALENT_NOTE}`;
  for (;;) {
    const choice = await vscode.window.showWarningMessage(
      already ? `sudo on ${host} refused: ${problem}` : `${sudo.user} may not read the cluster on ${host}: ${problem}`,
      { modal: true, detail },
      already ? 'Try Again' : 'Use sudo',
      'Copy Sudoers Rule',
      'Log In as Another User',
    );
    if (choice === 'Copy Sudoers Rule') {
      await vscode.env.clipboard.writeText(rule);
      continue;
    }
    if (choice === 'Use sudo' || choice === 'Try Again') return 'sudo';
    if (choice === 'Log In as Another User') return 'login';
    return undefined;
  }
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
