/**
 * Where the explorer's clusters come from: every workspace folder's `.pacemaker/clusters.json`
 * (validated by core's parseClusterDefinitions), then the user setting `pacemaker.clusters`.
 * A workspace cluster named like a user one is not used and shows a problem row (core/cluster/clusterSources.ts). Problems with a file are reported as
 * values (shown in the tree as a message row), never thrown.
 * Also owns writing: Add Cluster appends to the workspace file (or the setting when no folder is
 * open); Remove Cluster deletes from wherever the cluster came from.
 */
import * as vscode from 'vscode';
import { DEFAULT_CLUSTERS_FILE, parseClusterDefinitions, type ClusterDefinition } from '../../core/cluster/clusterConfig';
import type { ClusterTarget } from '../../core/cluster/live';
import { mergeClusterSources } from '../../core/cluster/clusterSources';
import { sshSettingsFrom } from '../../core/cluster/sshSettings';
import { PcxFailure, type PcxError } from '../../core/util/result';

export interface ConfiguredCluster {
  readonly definition: ClusterDefinition;
  /** The clusters.json it came from, or undefined for the user setting. */
  readonly file?: vscode.Uri;
}

export interface StoreSnapshot {
  readonly clusters: readonly ConfiguredCluster[];
  readonly problems: readonly PcxError[];
}

/** The SSH file settings from the user's settings only: a workspace value is ignored (core/cluster/sshSettings.ts). */
export function sshSettings(): { sshConfigPath?: string; knownHostsPath?: string } {
  const cfg = vscode.workspace.getConfiguration('pacemaker');
  const { sshConfigPath, knownHostsPath } = sshSettingsFrom((key) => cfg.inspect<string>(key));
  return { sshConfigPath, knownHostsPath };
}

/** The clusters of the user setting `pacemaker.clusters` (problems with it go to `problems`, when given). */
export function userClusters(problems?: PcxError[]): readonly ClusterDefinition[] {
  const fromSetting = vscode.workspace.getConfiguration('pacemaker').inspect<unknown[]>('clusters')?.globalValue ?? [];
  if (fromSetting.length === 0) return [];
  const parsed = parseClusterDefinitions({ clusters: fromSetting }, 'setting pacemaker.clusters');
  if (parsed.ok) return parsed.value.clusters;
  problems?.push(parsed.error);
  return [];
}

export function targetOf(c: ConfiguredCluster): ClusterTarget {
  const d = c.definition;
  return { name: d.name, hosts: d.hosts, user: d.user, port: d.port, identityFile: d.identityFile, sudo: d.sudo, ...sshSettings() };
}

export class ClusterStore implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${DEFAULT_CLUSTERS_FILE.replace(/\\/g, '/')}`);
    this.disposables.push(
      watcher,
      watcher.onDidChange(() => this.emitter.fire()),
      watcher.onDidCreate(() => this.emitter.fire()),
      watcher.onDidDelete(() => this.emitter.fire()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.emitter.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('pacemaker.clusters') || e.affectsConfiguration('pacemaker.ssh')) this.emitter.fire();
      }),
    );
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  private static fileIn(folder: vscode.WorkspaceFolder): vscode.Uri {
    return vscode.Uri.joinPath(folder.uri, ...DEFAULT_CLUSTERS_FILE.split(/[\\/]/));
  }

  async read(): Promise<StoreSnapshot> {
    const problems: PcxError[] = [];
    const workspace: { clusters: readonly ClusterDefinition[]; file: string; source: vscode.Uri | undefined }[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uri = ClusterStore.fileIn(folder);
      let text: string;
      try {
        text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      } catch {
        continue; // no file in this folder: nothing configured there
      }
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch (e) {
        problems.push({ code: 'clusters-invalid', message: `${uri.fsPath} is not valid JSON: ${(e as Error).message}`, hint: 'Fix the JSON syntax (no comments or trailing commas).' });
        continue;
      }
      const parsed = parseClusterDefinitions(data, uri.fsPath);
      if (parsed.ok) workspace.push({ clusters: parsed.value.clusters, file: uri.fsPath, source: uri });
      else problems.push(parsed.error);
    }
    // pacemaker.clusters from a workspace's .vscode/settings.json is the repository's too, not yours.
    const inspected = vscode.workspace.getConfiguration('pacemaker').inspect<unknown[]>('clusters');
    const wsSetting = [...(inspected?.workspaceValue ?? []), ...(inspected?.workspaceFolderValue ?? [])];
    if (wsSetting.length > 0) {
      const parsed = parseClusterDefinitions({ clusters: wsSetting }, 'workspace setting pacemaker.clusters');
      if (parsed.ok) workspace.push({ clusters: parsed.value.clusters, file: 'the workspace setting pacemaker.clusters', source: undefined });
      else problems.push(parsed.error);
    }
    const user = userClusters(problems);
    // A workspace cluster named like one of yours is not used, and says so (core/cluster/clusterSources.ts).
    const merged = mergeClusterSources(workspace, user);
    return { clusters: merged.clusters.map((c) => ({ definition: c.definition, file: c.from })), problems: [...problems, ...merged.problems] };
  }

  /** Save a new cluster: into the first workspace folder's clusters.json, else into the user setting. */
  async add(def: ClusterDefinition): Promise<string> {
    const clean = Object.fromEntries(Object.entries(def).filter(([, v]) => v !== undefined)) as unknown as ClusterDefinition;
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder) {
      const uri = ClusterStore.fileIn(folder);
      await this.edit(uri, (clusters) => [...clusters.filter((c) => c.name !== def.name), clean]);
      this.emitter.fire();
      return vscode.workspace.asRelativePath(uri);
    }
    const cfg = vscode.workspace.getConfiguration('pacemaker');
    const list = (cfg.get<ClusterDefinition[]>('clusters') ?? []).filter((c) => c.name !== def.name);
    await cfg.update('clusters', [...list, clean], vscode.ConfigurationTarget.Global);
    return 'user setting pacemaker.clusters';
  }

  async remove(c: ConfiguredCluster): Promise<void> {
    if (c.file) {
      await this.edit(c.file, (clusters) => clusters.filter((x) => x.name !== c.definition.name));
    } else {
      const cfg = vscode.workspace.getConfiguration('pacemaker');
      const list = (cfg.get<ClusterDefinition[]>('clusters') ?? []).filter((x) => x.name !== c.definition.name);
      await cfg.update('clusters', list, vscode.ConfigurationTarget.Global);
    }
    this.emitter.fire();
  }

  /**
   * Change the clusters file as an editor edit, saved: the user can undo it in the editor (Nothing the user wrote
   * is lost). A file with unsaved changes in an editor is the user's work in progress: refused, not saved for them.
   */
  private async edit(uri: vscode.Uri, change: (clusters: ClusterDefinition[]) => ClusterDefinition[]): Promise<void> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open?.isDirty) {
      throw new PcxFailure('clusters-file-unsaved', `${vscode.workspace.asRelativePath(uri)} has unsaved changes, so pcx did not change it`, 'Save or revert the file in its editor, then try again.');
    }
    const existing = await this.readJson(uri);
    const text = JSON.stringify({ ...existing.rest, clusters: change(existing.clusters) }, null, 2) + '\n';
    const edit = new vscode.WorkspaceEdit();
    if (existing.missing) {
      edit.createFile(uri, { ignoreIfExists: false, contents: new TextEncoder().encode(text) });
    } else {
      const doc = await vscode.workspace.openTextDocument(uri);
      edit.replace(uri, doc.validateRange(new vscode.Range(0, 0, doc.lineCount, 0)), text);
    }
    const cannot = (what: string): PcxFailure => new PcxFailure('clusters-file-unwritable', `could not ${what} ${uri.fsPath}`, 'Check that the folder is writable; the file was not changed.');
    if (!(await vscode.workspace.applyEdit(edit))) throw cannot('change');
    if (existing.missing) return; // createFile with contents writes the file itself
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.isDirty && !(await doc.save())) throw cannot('save');
  }

  /**
   * The file as it is, to write back with one cluster more or less. Only a missing file counts as empty: a file
   * that cannot be read or parsed is the user's work in progress, so it is refused (thrown), never overwritten.
   */
  private async readJson(uri: vscode.Uri): Promise<{ clusters: ClusterDefinition[]; rest: Record<string, unknown>; missing?: boolean }> {
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch (e) {
      if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return { clusters: [], rest: {}, missing: true };
      throw new PcxFailure('clusters-file-unreadable', `cannot read ${uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`, 'Check the file permissions; it was not changed.');
    }
    const refuse = (what: string): PcxFailure =>
      new PcxFailure('clusters-invalid', `${uri.fsPath} ${what}, so pcx did not change it`, 'Fix the file by hand (Pacemaker: Edit Connection opens it), then try again.');
    let data: unknown;
    try {
      data = JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      throw refuse(`is not valid JSON (${(e as Error).message})`);
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw refuse('is not a JSON object');
    const { clusters, ...rest } = data as Record<string, unknown>;
    if (clusters !== undefined && !Array.isArray(clusters)) throw refuse('has a "clusters" that is not an array');
    return { clusters: (clusters as ClusterDefinition[] | undefined) ?? [], rest };
  }
}
