/**
 * Which rows changed between two renders: `nodeHash` covers what a row shows plus its child ids, so
 * the view fires change events only for rows whose content (or child list) changed, and expansion
 * survives a refresh (ids never depend on order where a natural key exists).
 */
import { createHash } from 'node:crypto';
import type { ExplorerNode } from './model';

/** Hash of what a row shows plus the ids of its children: equal hash → nothing to redraw for this row. */
export function nodeHash(n: ExplorerNode): string {
  const own = JSON.stringify([n.kind, n.label, n.description, n.tooltip, n.icon, n.contextValue, n.command, n.children.map((c) => c.id)]);
  return createHash('sha1').update(own).digest('base64');
}

/** id → hash for a whole tree. */
export function hashTree(roots: readonly ExplorerNode[], into = new Map<string, string>()): Map<string, string> {
  for (const n of roots) {
    into.set(n.id, nodeHash(n));
    hashTree(n.children, into);
  }
  return into;
}

/**
 * The rows to redraw: changed rows (or new children lists) whose ancestors did not change themselves
 * (redrawing a row re-reads its subtree). `undefined` entries never appear; the caller redraws the
 * root when a cluster itself appeared or disappeared.
 */
export function changedNodes(before: ReadonlyMap<string, string>, roots: readonly ExplorerNode[]): ExplorerNode[] {
  const out: ExplorerNode[] = [];
  const walk = (n: ExplorerNode): void => {
    if (before.get(n.id) !== nodeHash(n)) {
      out.push(n);
      return;
    }
    n.children.forEach(walk);
  };
  roots.forEach(walk);
  return out;
}
