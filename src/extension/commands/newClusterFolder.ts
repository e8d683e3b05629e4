/**
 * New Cluster Folder: asks for a folder, the cluster's name, its nodes, their addresses and the VIP, and writes
 * corosync.conf + cluster.crm for the reference Redis + VIP setup there (core/bootstrap/template.ts). Never
 * overwrites: a folder that already holds a cluster folder's file is refused. Escape at any question stops.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createClusterFolder, templateProblem, type TemplateNode } from '../../core/bootstrap/template';
import { PcxFailure } from '../../core/util/result';

async function ask(title: string, prompt: string, value: string, validate: (v: string) => string | undefined): Promise<string | undefined> {
  const v = await vscode.window.showInputBox({ title: `New Cluster Folder: ${title}`, prompt, value, validateInput: (s) => validate(s.trim()), ignoreFocusOut: true });
  return v?.trim();
}

export async function newClusterFolder(arg: unknown): Promise<void> {
  let base: string | undefined = arg instanceof vscode.Uri ? arg.fsPath : undefined;
  if (!base) {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) throw new PcxFailure('no-workspace', 'New Cluster Folder needs an open workspace folder', 'Open the folder (your repository) that should hold the cluster folder, then run it again.');
    base = (folders.length === 1 ? folders[0] : await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Where should the cluster folder go?' }))?.uri.fsPath;
    if (!base) return;
  }
  const folderName = await ask('folder', `A new folder in ${base} for corosync.conf and cluster.crm`, 'cluster', (v) => (/^[^/\\]+$/.test(v) && v !== '.' && v !== '..' ? undefined : 'a folder name, without / or \\'));
  if (!folderName) return;
  const clusterName = await ask('cluster name', 'totem.cluster_name', templateProblem('cluster name', folderName) ? 'cluster1' : folderName, (v) => templateProblem('cluster name', v));
  if (!clusterName) return;
  const names = await ask('nodes', 'The node names, separated by commas (as ~/.ssh/config reaches them)', 'node1, node2', (v) => {
    const list = v.split(',').map((s) => s.trim()).filter(Boolean);
    if (list.length < 2) return 'at least 2 nodes';
    return list.map((n) => templateProblem('node name', n)).find(Boolean) ?? (new Set(list).size === list.length ? undefined : 'a node is named twice');
  });
  if (!names) return;
  const nodes: TemplateNode[] = [];
  for (const name of names.split(',').map((s) => s.trim()).filter(Boolean)) {
    const address = await ask(`address of ${name}`, `ring0_addr of ${name}: the address Corosync uses to reach it`, '', (v) => templateProblem('address', v) ?? (nodes.some((n) => n.address === v) ? 'another node has this address' : undefined));
    if (!address) return;
    nodes.push({ name, address });
  }
  const vip = await ask('VIP', 'The virtual IP address that follows the Redis master (a free address in the nodes\' network)', '', (v) => templateProblem('address', v) ?? (nodes.some((n) => n.address === v) ? 'this is a node\'s address' : undefined));
  if (!vip) return;
  const made = await createClusterFolder(path.join(base, folderName), { clusterName, nodes, vip });
  await vscode.window.showTextDocument(vscode.Uri.file(made.specFile));
  void vscode.window.showInformationMessage(`Created ${path.join(folderName, 'corosync.conf')} and ${path.join(folderName, path.basename(made.specFile))}. Review them, then run "Bootstrap Cluster from Folder".`);
}
