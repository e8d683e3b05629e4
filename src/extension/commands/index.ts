/**
 * The one command table. Each entry names a handler in a per-area module; every handler is
 * wrapped so a failure is logged and shown with a "Show Log" button instead of escaping.
 */
import * as vscode from 'vscode';
import { PcxFailure } from '../../core/util/result';

export type CommandHandler = (...args: unknown[]) => unknown;

const table: Record<string, CommandHandler> = {
  'pacemaker.showLog': () => undefined, // replaced in registerCommands: needs the log channel
};

export function registerCommands(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, extra: Record<string, CommandHandler> = {}): void {
  const handlers: Record<string, CommandHandler> = { ...table, ...extra, 'pacemaker.showLog': () => log.show() };
  for (const [id, handler] of Object.entries(handlers)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => runSafely(id, handler, args, log)));
  }
}

/**
 * Commands that work in Restricted Mode: they only show things, never connect or run anything. Every other
 * command may reach a host (a folder's clusters.json can come from anyone's repository), so it waits for trust.
 */
export const TRUST_FREE_COMMANDS: ReadonlySet<string> = new Set(['pacemaker.showLog', 'pacemaker.explorer.copyStatus']);

async function runSafely(id: string, handler: CommandHandler, args: unknown[], log: vscode.LogOutputChannel): Promise<unknown> {
  if (!vscode.workspace.isTrusted && !TRUST_FREE_COMMANDS.has(id)) {
    log.warn(`${id}: refused in Restricted Mode (the folder is not trusted)`);
    const choice = await vscode.window.showWarningMessage(
      'Restricted Mode: Pacemaker connects to no host and runs no command until you trust this folder.',
      'Manage Workspace Trust',
    );
    if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
    return undefined;
  }
  try {
    return await handler(...args);
  } catch (e) {
    // An expected failure keeps its fix (the hint) on screen; anything else is a bug, shown by its message only.
    const message = e instanceof Error ? e.message : typeof e === 'string' ? e : `unexpected failure in ${id}`;
    const hint = e instanceof PcxFailure ? e.hint : undefined;
    log.error(`${id}: ${message}${hint ? ` — ${hint}` : ''}`);
    // In one line: a non-modal notification does not show `detail`.
    const choice = await vscode.window.showErrorMessage(hint ? `${message} — ${hint}` : message, 'Show Log');
    if (choice === 'Show Log') log.show();
    return undefined;
  }
}
