/**
 * Extension entry point: thin. It builds one context (log, settings, connections) and hands it to
 * the feature modules, each of which registers its own views, commands and language providers.
 */
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { clusterFolderCommands } from './commands/clusterFolder';
import { explorerCommands } from './commands/explorer';
import { ClusterExplorer } from './explorer/explorer';
import { registerCorosyncLanguage } from './languages/corosync';
import { registerCrmLanguage } from './languages/crm';
import { ClusterAgents } from './languages/crm/clusterAgents';
import { logCommands } from './logs/commands';
import { operationCommands } from './operations/commands';
import { attachTestHook } from './testSeam';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Pacemaker', { log: true });
  context.subscriptions.push(log);
  log.info('Pacemaker Cluster Explorer activated');
  const explorer = new ClusterExplorer(log, context.secrets);
  context.subscriptions.push(explorer, attachTestHook({ pollStats: () => explorer.pollStats() }, log));
  const logs = logCommands(explorer, log);
  context.subscriptions.push(...logs.disposables);
  registerCommands(context, log, {
    ...explorerCommands(explorer, log),
    ...operationCommands(explorer, log),
    ...clusterFolderCommands(explorer, log, context),
    ...logs.handlers,
  });
  registerCorosyncLanguage(context, log);
  const clusterAgents = new ClusterAgents(explorer, log);
  context.subscriptions.push(clusterAgents);
  registerCrmLanguage(context, log, clusterAgents);
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions and disposed by VS Code.
}
