/**
 * One status bar item: "cluster1 ✓ 2/2 nodes · redis Promoted on node1" for the worst-off cluster
 * (with "+N" when there are more), warning/error background when degraded/unreachable; click
 * focuses the explorer view.
 */
import * as vscode from 'vscode';
import { statusBarText, type ClusterViewState } from '../../core/explorer/tree';

const RANK = { error: 3, warning: 2, loading: 1, ok: 0 } as const;

export class ClusterStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('pacemaker.clusterStatus', vscode.StatusBarAlignment.Left, 50);

  constructor(viewId: string) {
    this.item.name = 'Pacemaker cluster status';
    this.item.command = `${viewId}.focus`;
  }

  update(states: readonly ClusterViewState[]): void {
    if (states.length === 0) {
      this.item.hide();
      return;
    }
    const texts = states.map(statusBarText);
    const worst = texts.reduce((a, b) => (RANK[b.level] > RANK[a.level] ? b : a));
    // The ✓/⚠/✗ mark is in the text already; the icon only says "this is the cluster".
    const icon = worst.level === 'loading' ? '$(loading~spin)' : '$(server-environment)';
    this.item.text = `${icon} ${worst.text}${texts.length > 1 ? ` +${texts.length - 1}` : ''}`;
    this.item.tooltip = texts.map((t) => `${t.text}\n${t.tooltip}`).join('\n\n');
    this.item.backgroundColor =
      worst.level === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : worst.level === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
