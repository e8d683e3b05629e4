/**
 * Cluster-folder commands (a folder with corosync.conf + one *.crm spec): Bootstrap Cluster from Folder,
 * Compare with Live Cluster (VS Code's diff editor: the spec beside the live configuration rendered as a spec),
 * Apply Spec to Cluster (the difference only: preview, confirm, progress, report, like an operation) and Pull
 * Live Configuration into Spec (an editor edit the user can undo). Compare and Apply leave the drift as
 * diagnostics in the folder's files and mark the explorer's cluster. The work is core/bootstrap's; this adapts
 * it to pickers, modals, progress and documents.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { planApply, runApply } from '../../core/bootstrap/apply';
import { applyIsEmpty, renderApplyOutcome, renderApplyPlan } from '../../core/bootstrap/applyRender';
import { planBootstrap, preflight, runBootstrap, runnersFor, liveDrift } from '../../core/bootstrap/bootstrap';
import { formatDrift, type Drift } from '../../core/bootstrap/drift';
import { readClusterFolder, type ClusterFolder } from '../../core/bootstrap/folder';
import { pullSpec } from '../../core/bootstrap/pull';
import type { ClusterTarget } from '../../core/cluster/live';
import { PcxFailure } from '../../core/util/result';
import { sshSettings } from '../explorer/clusterStore';
import type { ClusterExplorer } from '../explorer/explorer';
import { DriftDiagnostics } from './driftDiagnostics';
import { newClusterFolder } from './newClusterFolder';
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

/** The spec or corosync.conf open with unsaved edits: apply reads the files on disk, so it asks to save first. */
async function savedFirst(folder: ClusterFolder): Promise<boolean> {
  const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && (d.uri.fsPath === folder.specFile || d.uri.fsPath === folder.corosyncFile));
  if (!dirty.length) return true;
  const names = dirty.map((d) => path.basename(d.uri.fsPath)).join(' and ');
  const choice = await vscode.window.showWarningMessage(`${names} has unsaved changes.`, { modal: true, detail: 'Apply uses the files as saved on disk.' }, 'Save and Continue');
  if (choice !== 'Save and Continue') return false;
  return (await Promise.all(dirty.map((d) => d.save()))).every(Boolean);
}

export function clusterFolderCommands(explorer: ClusterExplorer, log: vscode.LogOutputChannel, context: vscode.ExtensionContext): Record<string, CommandHandler> {
  const pool = explorer.pool;
  const live = new LiveSpecDocuments();
  const diagnostics = new DriftDiagnostics();
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(LiveSpecDocuments.scheme, live), diagnostics);
  /** Cluster name → the folder last compared with it: compared again when its configuration changes. */
  const watched = new Map<string, string>();
  /** Drift in the files' diagnostics and on the explorer's cluster. */
  const report = (folder: ClusterFolder, drift: readonly Drift[]): void => {
    diagnostics.show(folder, drift);
    for (const name of explorer.markDrift(folder, path.basename(folder.dir), drift.length > 0)) watched.set(name, folder.dir);
  };
  // A change made on the cluster (pcs, crm, another pcx) refreshes the drift of the folder compared with it.
  const timers = new Map<string, NodeJS.Timeout>();
  const recompare = async (dir: string): Promise<void> => {
    try {
      const folder = await readClusterFolder(dir);
      const drift = await liveDrift(folder, await runnersFor(folder, targetFor(folder), pool));
      log.info(`drift of ${dir} after a change of the live configuration: ${drift.length} difference(s)`);
      report(folder, drift);
    } catch (e) {
      log.warn(`drift of ${dir} not refreshed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  context.subscriptions.push(
    explorer.onConfigurationChange((cluster) => {
      const dir = watched.get(cluster);
      if (!dir) return;
      clearTimeout(timers.get(cluster));
      timers.set(cluster, setTimeout(() => void recompare(dir), 1_000));
    }),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );

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
    report(folder, drift);
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
    // The spec now says what runs: its drift lines are gone (corosync.conf's stay until the next Compare).
    diagnostics.clearSpec(folder);
    const dropped = pulled.droppedComments.length ? ` ${pulled.droppedComments.length} comment(s) whose statement is gone were not kept (see the log).` : '';
    for (const c of pulled.droppedComments) log.warn(`pull: comment not kept (its statement is gone):\n${c}`);
    void vscode.window.showInformationMessage(`Pulled ${runners[0]!.host}'s live configuration into ${path.basename(folder.specFile)} (unsaved: Undo reverts it).${dropped}`);
  };

  const apply = async (arg: unknown): Promise<void> => {
    const dir = await pickFolder(arg);
    if (!dir) return;
    let folder = await readClusterFolder(dir);
    if (!(await savedFirst(folder))) return;
    folder = await readClusterFolder(dir);
    const name = folder.clusterName ?? path.basename(dir);
    const prepared = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Apply ${path.basename(dir)}: previewing`, cancellable: true },
      async (progress, token) => {
        progress.report({ message: 'crm_diff and crm_simulate on a copy of the live CIB…' });
        const work = (async () => {
          const runners = await runnersFor(folder, targetFor(folder), pool);
          return { runners, plan: await planApply(folder, runners) };
        })();
        return Promise.race([work, new Promise<undefined>((resolve) => token.onCancellationRequested(() => resolve(undefined)))]);
      },
    );
    if (!prepared) return;
    const { runners, plan } = prepared;
    const text = renderApplyPlan(folder, plan);
    log.info(`apply ${dir}: preview\n${text}`);
    if (applyIsEmpty(plan)) {
      report(folder, []);
      void vscode.window.showInformationMessage(`Nothing to apply: ${name} runs what ${path.basename(dir)} describes.`);
      return;
    }
    const planUri = vscode.Uri.from({ scheme: LiveSpecDocuments.scheme, path: `/apply plan ${name}.txt`, query: `${Date.now()}` });
    live.set(planUri, `${text}${plan.patch ? `\nThe patch (crm_diff --no-version), sent with cibadmin --patch:\n\n${plan.patch}` : ''}`);
    await vscode.window.showTextDocument(planUri, { preview: true, preserveFocus: true });
    const changes = [
      ...plan.changes.map((c) => (c.action === 'set' ? `set ${c.what}: ${c.live ?? '(unset)'} → ${c.want}` : `${c.action} ${c.what}`)),
      ...plan.corosync.map((c) => `corosync.conf on ${c.host}: ${c.differences.map((d) => d.key ?? d.what).join(', ')}${c.needsRestart.length ? ' (NEEDS A RESTART)' : ''}`),
    ];
    const predicted = plan.patch ? ['', 'Pacemaker predicts:', ...(plan.transition.length ? plan.transition.map((t) => `  ${t}`) : ['  no change of roles or locations'])] : [];
    const detail = [...changes, '', 'Commands:', ...plan.commands.map((c) => `  ${c.host}# ${c.commandLine}`), ...predicted, ...plan.warnings.map((w) => `⚠ crm_verify: ${w}`), ...plan.dangers.map((d) => `DANGER: ${d}`), '', 'The patch and the full plan are in the "apply plan" editor.'].join('\n');
    const go = await vscode.window.showWarningMessage(`Apply ${path.basename(dir)} to ${name}: ${changes.length} change(s)?`, { modal: true, detail }, 'Apply');
    if (go !== 'Apply') {
      log.info(`apply ${dir}: not confirmed; nothing was changed`);
      return;
    }
    if (plan.dangers.length) {
      const typed = await vscode.window.showInputBox({ title: `Apply: ${plan.dangers.join('; ')}`, prompt: `Type the cluster name '${name}' to confirm`, validateInput: (v) => (v === name || v === '' ? undefined : `type ${name} exactly`), ignoreFocusOut: true });
      if (typed !== name) {
        log.info(`apply ${dir}: not confirmed (cluster name not typed); nothing was changed`);
        return;
      }
    }
    const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Applying ${path.basename(dir)} to ${name}` }, (progress) =>
      runApply(folder, runners, plan, { onStep: (line) => (log.info(`apply: ${line}`), progress.report({ message: line })) }),
    );
    log.info(`apply ${dir}: outcome\n${renderApplyOutcome(outcome)}`);
    report(folder, outcome.remaining);
    for (const n of explorer.markDrift(folder, path.basename(dir), outcome.remaining.length > 0)) explorer.refresh(n);
    if (outcome.status === 'done') void vscode.window.showInformationMessage(`${name}: applied and verified — no drift from ${path.basename(dir)}.`, 'Show Log').then((c) => c && log.show());
    else {
      const what = [...outcome.needsRestart.map((r) => `needs a restart: ${r}`), ...outcome.unexpected, ...outcome.remaining.map((d) => d.what)];
      void vscode.window.showWarningMessage(`${name}: applied, but not all as planned: ${what.slice(0, 3).join('; ')}${what.length > 3 ? '…' : ''}`, 'Show Log').then((c) => c && log.show());
    }
  };

  return {
    'pacemaker.folder.apply': apply,
    'pacemaker.folder.new': newClusterFolder,
    'pacemaker.folder.bootstrap': bootstrap,
    'pacemaker.folder.compare': compare,
    'pacemaker.folder.pull': pull,
  };
}
