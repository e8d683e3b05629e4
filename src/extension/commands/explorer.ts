/**
 * Explorer command handlers (registered through the one table in ./index.ts).
 * Handlers accept what VS Code passes: a tree element (context menus), a cluster name (message
 * rows), or nothing (palette → ask which cluster when there are several).
 */
import * as vscode from 'vscode';
import { addClusterFlow } from '../explorer/addCluster';
import { XmlDocuments } from '../explorer/documents';
import type { ClusterExplorer } from '../explorer/explorer';
import type { ExplorerElement } from '../explorer/treeProvider';
import type { CommandHandler } from './index';

/** The cluster a command was invoked on. */
async function pickCluster(explorer: ClusterExplorer, arg: unknown, verb: string): Promise<string | undefined> {
  if (typeof arg === 'string' && explorer.session(arg)) return arg;
  const el = arg as ExplorerElement | undefined;
  const m = el && typeof el.id === 'string' ? /^cluster\/([^/]+)/.exec(el.id) : null;
  if (m) return decodeURIComponent(m[1]!);
  const names = explorer.clusterNames;
  if (names.length === 0) {
    void vscode.window.showInformationMessage('No Pacemaker cluster is configured yet.', 'Add Cluster').then((c) => c && vscode.commands.executeCommand('pacemaker.explorer.addCluster'));
    return undefined;
  }
  if (names.length === 1) return names[0];
  return vscode.window.showQuickPick(names, { title: `${verb}: which cluster?` });
}

export function explorerCommands(explorer: ClusterExplorer, log: vscode.LogOutputChannel): Record<string, CommandHandler> {
  const openXml = async (arg: unknown, which: 'crm_mon' | 'cib'): Promise<void> => {
    const name = await pickCluster(explorer, arg, which === 'cib' ? 'Show CIB' : 'Show crm_mon XML');
    if (!name) return;
    if (!explorer.session(name)?.rawXml) {
      await explorer.focus(); // reading starts when the view is visible
      explorer.refresh(name);
    }
    const doc = await vscode.workspace.openTextDocument(XmlDocuments.uri(name, which));
    await vscode.languages.setTextDocumentLanguage(doc, 'xml');
    await vscode.window.showTextDocument(doc, { preview: true });
  };
  return {
    'pacemaker.explorer.addCluster': () => addClusterFlow(explorer, log),
    'pacemaker.explorer.removeCluster': async (arg) => {
      const name = await pickCluster(explorer, arg, 'Remove Cluster');
      const configured = name ? explorer.configured(name) : undefined;
      if (!name || !configured) return;
      const where = configured.file ? vscode.workspace.asRelativePath(configured.file) : 'the user setting pacemaker.clusters';
      const ok = await vscode.window.showWarningMessage(`Remove cluster ${name} from ${where}?`, { modal: true, detail: 'Only the definition in VS Code is removed; the cluster itself is not touched.' }, 'Remove');
      if (ok !== 'Remove') return;
      await explorer.store.remove(configured);
      log.info(`removed cluster ${name} from ${where}`);
    },
    'pacemaker.explorer.setRedisPassword': async (arg) => {
      const name = await pickCluster(explorer, arg, 'Set Redis Password');
      const configured = name ? explorer.configured(name) : undefined;
      if (configured) await explorer.passwords.promptAndStore(configured.definition);
    },
    'pacemaker.explorer.refresh': async (arg) => {
      const name = typeof arg === 'string' || (arg as ExplorerElement | undefined)?.id ? await pickCluster(explorer, arg, 'Refresh') : undefined;
      explorer.refresh(name);
    },
    // From a "Review Host Key…" row: (cluster name, host).
    'pacemaker.explorer.reviewHostKey': async (name, host) => {
      if (typeof name === 'string' && typeof host === 'string') await explorer.reviewHostKey(name, host);
    },
    'pacemaker.explorer.retry': async (arg) => {
      const name = await pickCluster(explorer, arg, 'Retry');
      if (name) explorer.refresh(name);
    },
    'pacemaker.explorer.editConnection': async (arg) => {
      const name = typeof arg === 'string' || (arg as ExplorerElement | undefined)?.id ? await pickCluster(explorer, arg, 'Edit Connection') : undefined;
      const file = name ? explorer.configured(name)?.file : undefined;
      if (file) {
        const doc = await vscode.workspace.openTextDocument(file);
        const editor = await vscode.window.showTextDocument(doc);
        const at = doc.getText().indexOf(`"${name}"`);
        if (at >= 0) editor.selection = new vscode.Selection(doc.positionAt(at), doc.positionAt(at + name!.length + 2));
        return;
      }
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (!name && folder) {
        const uri = vscode.Uri.joinPath(folder.uri, '.pacemaker', 'clusters.json');
        try {
          await vscode.workspace.fs.stat(uri);
          await vscode.window.showTextDocument(uri);
          return;
        } catch {
          // no workspace file: the setting is where clusters live
        }
      }
      await vscode.commands.executeCommand('workbench.action.openSettings', 'pacemaker.');
    },
    'pacemaker.explorer.showCrmMonXml': (arg) => openXml(arg, 'crm_mon'),
    'pacemaker.explorer.showCib': (arg) => openXml(arg, 'cib'),
    'pacemaker.explorer.copyStatus': async (arg) => {
      const name = typeof arg === 'string' || (arg as ExplorerElement | undefined)?.id ? await pickCluster(explorer, arg, 'Copy Status') : undefined;
      const text = explorer.statusText(name);
      await vscode.env.clipboard.writeText(text);
      vscode.window.setStatusBarMessage(`Pacemaker: status of ${name ?? 'all clusters'} copied (${text.split('\n').length - 1} lines)`, 3000);
    },
  };
}
