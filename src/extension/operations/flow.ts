/**
 * One operation from the editor: preview (withProgress, cancellable) → a modal naming the commands and the moves
 * Pacemaker predicts (a typed cluster name when the change stops every instance of a resource or leaves no node)
 * → run and wait (withProgress, cancellable: the wait stops, clean-up steps still run) → a notification with the
 * outcome, everything in the log with its pcx equivalent. The explorer is refreshed afterwards.
 */
import * as vscode from 'vscode';
import { executePlan, type OperationOutcome } from '../../core/operations/execute';
import { describeDialect } from '../../core/operations/backend';
import { renderOutcome, renderPlan } from '../../core/operations/render';
import { prepareOperation } from '../../core/operations/prepare';
import { workloadCheck } from '../../core/operations/workloadCheck';
import type { OperationPlan } from '../../core/operations/preview';
import type { Backend, OperationRequest } from '../../core/operations/types';
import { operation } from '../../core/operations/catalog';
import { PcxFailure } from '../../core/util/result';
import { terminalText } from '../../core/text/terminalText';
import type { ClusterExplorer } from '../explorer/explorer';

/** The modal's detail: the commands and the prediction, short enough for a dialog. */
export function confirmationDetail(plan: OperationPlan): string {
  const lines = [`Commands on ${plan.host} (${describeDialect(plan.dialect)}):`, ...plan.phases.map((p) => `  ${p.runOn && p.runOn !== plan.host ? `${p.runOn}# ` : ''}${p.commandLine}`), '', 'Pacemaker predicts:'];
  lines.push(...(plan.transition.length > 0 ? plan.transition.map((t) => `  ${t}`) : ['  no change of roles or locations']));
  for (const w of plan.warnings) lines.push('', `⚠ ${w}`);
  for (const d of plan.dangers) lines.push('', `DANGER: ${d}`);
  lines.push('', `Same as: ${plan.cli}`);
  // Cluster text (names, predictions, workload warnings with Redis's master_host) is data: one line each, controls visible.
  return lines.map((l) => terminalText(l, { newlines: false })).join('\n');
}

function configuredBackend(): Backend | undefined {
  const v = vscode.workspace.getConfiguration('pacemaker').get<string>('operations.backend', 'auto');
  return v === 'pcs' || v === 'crmsh' || v === 'pacemaker' ? v : undefined;
}

export async function runOperationFlow(explorer: ClusterExplorer, log: vscode.LogOutputChannel, cluster: string, req: OperationRequest): Promise<OperationOutcome | undefined> {
  const session = explorer.session(cluster);
  if (!session) throw new PcxFailure('unknown-cluster', `no cluster ${cluster} is configured`, 'Add it with Pacemaker: Add Cluster.');
  const desc = operation(req.kind);
  const prepared = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `${desc.title} on ${cluster}: previewing`, cancellable: true },
    async (progress, token) => {
      progress.report({ message: 'crm_simulate on a copy of the live CIB…' });
      const p = prepareOperation(session.target, req, { pool: explorer.pool, backend: configuredBackend() });
      return Promise.race([p, new Promise<undefined>((resolve) => token.onCancellationRequested(() => resolve(undefined)))]);
    },
  );
  if (!prepared) return undefined;
  const { plan, runner } = prepared;
  log.info(`${cluster}: preview\n${renderPlan(plan)}`);

  const label = desc.title;
  const choice = await vscode.window.showWarningMessage(`${label} on ${cluster}: ${terminalText(plan.summary, { newlines: false })}?`, { modal: true, detail: confirmationDetail(plan) }, label);
  if (choice !== label) {
    log.info(`${cluster}: ${label} not confirmed; nothing was changed`);
    return undefined;
  }
  if (plan.dangers.length > 0) {
    const name = plan.clusterName ?? cluster;
    const typed = await vscode.window.showInputBox({
      title: `${label} on ${cluster}: ${plan.dangers.join('; ')}`,
      prompt: `Type the cluster name '${name}' to confirm`,
      validateInput: (v) => (v === name || v === '' ? undefined : `type ${name} exactly`),
      ignoreFocusOut: true,
    });
    if (typed !== name) {
      log.info(`${cluster}: ${label} not confirmed (cluster name not typed); nothing was changed`);
      return undefined;
    }
  }

  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `${label} on ${cluster}`, cancellable: true },
    (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return executePlan(runner, plan, {
        nodes: prepared.nodes,
        workload: workloadCheck(session.target, explorer.pool, { passwords: explorer.passwords.source({ ...session.target, name: cluster }) }),
        signal: abort.signal,
        onProgress: (m) => progress.report({ message: m }),
        onLog: (l) => log.info(`${cluster}: ${l}`),
      });
    },
  );
  log.info(`${cluster}: outcome\n${renderOutcome(outcome)}`);
  explorer.refresh(cluster);
  const show = outcome.status === 'done' ? vscode.window.showInformationMessage : outcome.status === 'failed' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
  const hint = outcome.failure?.hint ? ` — ${outcome.failure.hint}` : '';
  void show(`${cluster}: ${outcome.message}${hint}`, 'Show Log').then((c) => c && log.show());
  return outcome;
}
