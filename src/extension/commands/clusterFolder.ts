/**
 * Cluster-folder commands (a folder with corosync.conf + one *.crm spec): Bootstrap Cluster from Folder,
 * Compare with Live Cluster (VS Code's diff editor: the spec beside the live configuration rendered as a spec)
 * and Pull Live Configuration into Spec (an editor edit the user can undo). The work is core/bootstrap's; this
 * adapts it to pickers, modals, progress and documents.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { planBootstrap, preflight, runBootstrap, runnersFor, liveDrift } from '../../core/bootstrap/bootstrap';
import { formatDrift } from '../../core/bootstrap/drift';
import { readClusterFolder, type ClusterFolder } from '../../core/bootstrap/folder';
import { pullSpec } from '../../core/bootstrap/pull';
import type { ClusterTarget } from '../../core/cluster/live';
import type { SshPool } from '../../core/ssh/pool';
import { PcxFailure } from '../../core/util/result';
import { sshSettings } from '../explorer/clusterStore';
import type { CommandHandler } from './index';

/** Live configurations rendered as spec text, served read-only for the diff editor. */
class LiveSpecDocuments implements vscode.TextDocumentContentProvider {
  static readonly scheme = 'pacemaker-live-spec';
  private readonly texts = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.emitter.fire(uri);
  }
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }
}

async function pickFolder(arg: unknown): Promise<string | undefined> {
  if (arg instanceof vscode.Uri) return arg.fsPath;
  const active = vscode.window.activeTextEditor?.document.uri;
  const candidates = new Set<string>();
  for (const f of await vscode.workspace.findFiles('**/corosync.conf', '**/node_modules/**', 50)) candidates.add(path.dirname(f.fsPath));
  const list = [...candidates].sort();
  if (active && list.includes(path.dirname(active.fsPath))) return path.dirname(active.fsPath);
  if (list.length === 1) return list[0];
  if (list.length === 0) {
    void vscode.window.showInformationMessage('No cluster folder in this workspace: a cluster folder holds corosync.conf and one *.crm spec file.');
    return undefined;
  }
  return vscode.window.showQuickPick(list, { title: 'Which cluster folder?' });
}

function targetFor(folder: ClusterFolder): ClusterTarget {
  return { name: folder.clusterName, hosts: folder.nodes, ...sshSettings() };
}

export function clusterFolderCommands(pool: SshPool, log: vscode.LogOutputChannel, context: vscode.ExtensionContext): Record<string, CommandHandler> {
  const live = new LiveSpecDocuments();
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(LiveSpecDocuments.scheme, live));

  const bootstrap = async (arg: unknown): Promise<void> => {
    const dir = await pickFolder(arg);
    if (!dir) return;
    const folder = await readClusterFolder(dir);
    const target = targetFor(folder);
    const pre = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Checking ${folder.nodes.join(', ')}…` }, () => preflight(folder, target, { pool }));
    if (pre.state === 'matches') {
      void vscode.window.showInformationMessage(`Nothing to do: ${folder.nodes.join(', ')} already run the cluster ${path.basename(dir)} describes.`);
      return;
    }
    if (pre.state === 'refused') throw new PcxFailure('bootstrap-refused', `Not bootstrapping: ${pre.reasons.join('; ')}`, 'Nothing was changed.');
    const plan = planBootstrap(folder);
    // The exact commands in a read-only document beside; the modal names the steps.
    const full = plan.map((s, i) => `${i + 1}. ${s.title}  [${s.hosts.join(', ')}]\n${s.commands.map((c) => `     $ ${c}`).join('\n')}`).join('\n\n');
    log.info(`bootstrap plan for ${dir}:\n${full}`);
    const planUri = vscode.Uri.from({ scheme: LiveSpecDocuments.scheme, path: `/bootstrap plan ${folder.clusterName ?? path.basename(dir)}.txt` });
    live.set(planUri, `Bootstrap ${folder.clusterName ?? 'the cluster'} on ${folder.nodes.join(', ')} from ${dir}\n\n${full}\n\nThe CIB configuration that step 6 loads:\n\n${folder.configurationXml}`);
    await vscode.window.showTextDocument(planUri, { preview: true, preserveFocus: true });
    const detail = `${plan.map((s, i) => `${i + 1}. ${s.title}`).join('\n')}\n\nThe exact commands and the CIB to load are in the "bootstrap plan" editor.`;
    const go = await vscode.window.showWarningMessage(`Bootstrap ${folder.clusterName ?? 'the cluster'} on ${folder.nodes.join(', ')}?`, { modal: true, detail }, 'Bootstrap');
    if (go !== 'Bootstrap') return;
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Bootstrapping ${folder.clusterName ?? path.basename(dir)}`, cancellable: false },
      (progress) =>
        runBootstrap(folder, target, {
          pool,
          onStep: (e) => {
            const line = `${e.index + 1}/${plan.length} ${e.state === 'running' ? '' : e.state === 'done' ? '✓ ' : '✗ '}${e.title}${e.detail ? ` — ${e.detail}` : ''}`;
            log.info(`bootstrap: ${line}`);
            if (e.state === 'running') progress.report({ message: line, increment: 100 / plan.length });
          },
        }),
    );
    void vscode.window.showInformationMessage(`Bootstrapped: ${outcome.endState.join(' · ')}`);
  };

  const compare = async (arg: unknown): Promise<void> => {
    const dir = await pickFolder(arg);
    if (!dir) return;
    const folder = await readClusterFolder(dir);
    const { drift, text } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Reading the live configuration…' }, async () => {
      const runners = await runnersFor(folder, targetFor(folder), pool);
      const conf = await runners[0]!.run(['cibadmin', '-Q', '--scope', 'configuration']);
      if (conf.code !== 0) throw new PcxFailure('cib-read-failed', `cannot read the configuration on ${runners[0]!.host}: ${conf.stderr.toString().trim()}`, 'Check that Pacemaker runs there.');
      return { drift: await liveDrift(folder, runners), text: pullSpec(folder.specText, conf.stdout.toString()).text };
    });
    for (const d of drift) log.info(`drift: ${formatDrift(d)}`);
    const uri = vscode.Uri.from({ scheme: LiveSpecDocuments.scheme, path: `/${folder.clusterName ?? 'cluster'}/${path.basename(folder.specFile)}`, query: `${Date.now()}` });
    live.set(uri, text);
    await vscode.commands.executeCommand('vscode.diff', vscode.Uri.file(folder.specFile), uri, `${path.basename(folder.specFile)} ↔ live ${folder.clusterName ?? ''} (${drift.length} difference${drift.length === 1 ? '' : 's'})`);
    if (drift.length === 0) void vscode.window.showInformationMessage(`No drift: the cluster runs what ${path.basename(dir)} describes.`);
    else void vscode.window.showWarningMessage(`${drift.length} difference(s) between ${path.basename(dir)} and the live cluster: ${drift.slice(0, 3).map((d) => d.what).join('; ')}${drift.length > 3 ? '…' : ''}`, 'Show Log').then((c) => c && log.show());
  };

  const pull = async (arg: unknown): Promise<void> => {
    const dir = await pickFolder(arg);
    if (!dir) return;
    const folder = await readClusterFolder(dir);
    const runners = await runnersFor(folder, targetFor(folder), pool);
    const conf = await runners[0]!.run(['cibadmin', '-Q', '--scope', 'configuration']);
    if (conf.code !== 0) throw new PcxFailure('cib-read-failed', `cannot read the configuration on ${runners[0]!.host}: ${conf.stderr.toString().trim()}`, 'Check that Pacemaker runs there.');
    const pulled = pullSpec(folder.specText, conf.stdout.toString());
    const doc = await vscode.workspace.openTextDocument(folder.specFile);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), pulled.text);
    await vscode.workspace.applyEdit(edit);
    await vscode.window.showTextDocument(doc);
    const dropped = pulled.droppedComments.length ? ` ${pulled.droppedComments.length} comment(s) whose statement is gone were not kept (see the log).` : '';
    for (const c of pulled.droppedComments) log.warn(`pull: comment not kept (its statement is gone):\n${c}`);
    void vscode.window.showInformationMessage(`Pulled ${runners[0]!.host}'s live configuration into ${path.basename(folder.specFile)} (unsaved: Undo reverts it).${dropped}`);
  };

  return {
    'pacemaker.folder.bootstrap': bootstrap,
    'pacemaker.folder.compare': compare,
    'pacemaker.folder.pull': pull,
  };
}
