/**
 * Read-only virtual documents with the raw XML the explorer last read:
 * `pacemaker:/<cluster>/crm_mon.xml` and `pacemaker:/<cluster>/cib.xml`. They update with the tree.
 */
import * as vscode from 'vscode';
import { parseXmlDocumentPath, xmlDocumentPath, type XmlDocumentKind } from '../../core/explorer/documentPath';

export type RawXml = { crmMonXml: string; cibXml: string } | undefined;

export class XmlDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  static readonly scheme = 'pacemaker';
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly last = new Map<string, string>();

  constructor(private readonly rawFor: (cluster: string) => RawXml) {}

  static uri(cluster: string, which: XmlDocumentKind): vscode.Uri {
    return vscode.Uri.from({ scheme: XmlDocuments.scheme, path: xmlDocumentPath(cluster, which) });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const doc = parseXmlDocumentPath(uri.path);
    if (!doc) return `<!-- ${uri.path}: not a Pacemaker document. Open one from a cluster's context menu in the Pacemaker view. -->\n`;
    const raw = this.rawFor(doc.cluster);
    if (!raw) return `<!-- ${doc.cluster.replace(/--/g, '- -')}: nothing read yet. Open the Pacemaker view so the explorer connects, then try again. -->\n`;
    return doc.which === 'cib' ? raw.cibXml : raw.crmMonXml;
  }

  /** Fire for a cluster's documents only when their text changed (a document refresh costs the editor work). */
  changed(cluster: string): void {
    const raw = this.rawFor(cluster);
    if (!raw) return;
    for (const which of ['crm_mon', 'cib'] as const) {
      const text = which === 'cib' ? raw.cibXml : raw.crmMonXml;
      const key = `${cluster}/${which}`;
      if (this.last.get(key) !== text) {
        this.last.set(key, text);
        this.emitter.fire(XmlDocuments.uri(cluster, which));
      }
    }
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
