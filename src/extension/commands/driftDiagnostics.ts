/**
 * Drift as diagnostics: each difference between a cluster folder and the live cluster at the line of the spec
 * or corosync.conf it concerns (source "pacemaker drift"): Warning where the cluster differs from the file or
 * lacks what it says, Information where the cluster runs something the file does not mention. Set by Compare,
 * Apply and Pull; an empty comparison clears the folder's files.
 */
import * as vscode from 'vscode';
import type { Drift } from '../../core/bootstrap/drift';
import type { ClusterFolder } from '../../core/bootstrap/folder';

export const DRIFT_SOURCE = 'pacemaker drift';

function message(d: Drift): string {
  const values = [d.want !== undefined ? `spec: ${d.want}` : '', d.live !== undefined ? `live: ${d.live}` : d.kind === 'missing-live' ? 'live: (none)' : ''].filter(Boolean).join('; ');
  return `Drift: ${d.what}${values ? ` (${values})` : ''}`;
}

export class DriftDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DRIFT_SOURCE);

  show(folder: ClusterFolder, drift: readonly Drift[]): void {
    for (const file of [folder.specFile, folder.corosyncFile]) {
      const uri = vscode.Uri.file(file);
      const lines = (file === folder.specFile ? folder.specText : folder.corosyncText).split('\n');
      this.collection.set(uri, drift.filter((d) => d.file === file).map((d) => {
        const line = Math.min(d.line ?? 0, Math.max(0, lines.length - 1));
        const range = new vscode.Range(line, 0, line, lines[line]?.length ?? 0);
        const diagnostic = new vscode.Diagnostic(range, message(d), d.kind === 'extra-live' ? vscode.DiagnosticSeverity.Information : vscode.DiagnosticSeverity.Warning);
        diagnostic.source = DRIFT_SOURCE;
        diagnostic.code = d.kind;
        return diagnostic;
      }));
    }
  }

  /** Only the spec file's (after Pull replaced its text: the old lines no longer hold). */
  clearSpec(folder: ClusterFolder): void {
    this.collection.delete(vscode.Uri.file(folder.specFile));
  }

  dispose(): void {
    this.collection.dispose();
  }
}
