/**
 * The VS Code side of the explorer tree: maps core ExplorerNodes to TreeItems.
 *
 * VS Code identifies elements by object identity, so every id gets ONE long-lived element object
 * whose `node` is swapped on refresh; change events then name exactly the rows whose content hash
 * changed (core's changedNodes), and the tree keeps expansion and selection.
 */
import * as vscode from 'vscode';
import { changedNodes, hashTree, type ExplorerNode } from '../../core/explorer/tree';

export interface ExplorerElement {
  readonly id: string;
  node: ExplorerNode;
}

export class ExplorerTreeProvider implements vscode.TreeDataProvider<ExplorerElement>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ExplorerElement | ExplorerElement[] | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private roots: ExplorerNode[] = [];
  private hashes = new Map<string, string>();
  private readonly elements = new Map<string, ExplorerElement>();
  private readonly parents = new Map<string, string>();

  /** Replace the whole model; fires only for what changed. */
  setRoots(roots: ExplorerNode[]): void {
    const before = this.hashes;
    const rootIdsChanged = roots.map((r) => r.id).join('\n') !== this.roots.map((r) => r.id).join('\n');
    this.roots = roots;
    this.hashes = hashTree(roots);
    this.parents.clear();
    const live = new Set<string>();
    const index = (n: ExplorerNode, parent?: string): void => {
      live.add(n.id);
      if (parent) this.parents.set(n.id, parent);
      const el = this.elements.get(n.id);
      if (el) el.node = n;
      n.children.forEach((c) => index(c, n.id));
    };
    roots.forEach((r) => index(r));
    for (const id of this.elements.keys()) if (!live.has(id)) this.elements.delete(id);
    if (rootIdsChanged) {
      this.emitter.fire(undefined);
      return;
    }
    const changed = changedNodes(before, roots).map((n) => this.elementFor(n));
    if (changed.length > 0) this.emitter.fire(changed);
  }

  dispose(): void {
    this.emitter.dispose();
  }

  get rootNodes(): readonly ExplorerNode[] {
    return this.roots;
  }

  private elementFor(n: ExplorerNode): ExplorerElement {
    let el = this.elements.get(n.id);
    if (!el) {
      el = { id: n.id, node: n };
      this.elements.set(n.id, el);
    }
    return el;
  }

  getChildren(element?: ExplorerElement): ExplorerElement[] {
    const nodes = element ? element.node.children : this.roots;
    return nodes.map((n) => this.elementFor(n));
  }

  getParent(element: ExplorerElement): ExplorerElement | undefined {
    const parentId = this.parents.get(element.id);
    return parentId ? this.elements.get(parentId) : undefined;
  }

  getTreeItem(element: ExplorerElement): vscode.TreeItem {
    const n = element.node;
    const state =
      n.children.length === 0
        ? vscode.TreeItemCollapsibleState.None
        : n.expanded
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(n.label, state);
    item.id = n.id;
    item.description = n.description;
    item.contextValue = n.contextValue;
    item.iconPath = new vscode.ThemeIcon(n.icon.id, n.icon.color ? new vscode.ThemeColor(n.icon.color) : undefined);
    if (n.tooltip) {
      const md = new vscode.MarkdownString(n.tooltip, true);
      md.supportHtml = false;
      item.tooltip = md;
    }
    if (n.command) item.command = { command: n.command.command, title: n.command.title, arguments: [...(n.command.args ?? [])] };
    return item;
  }
}
