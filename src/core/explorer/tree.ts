/**
 * The explorer tree's public face: what the extension layer and the tests import. Each concern has
 * its own module — model (row and state types), states (icon rules), rows/ (one builder per row
 * kind), clusterTree (one cluster's subtree), summary, diff (hashing), text (Copy as Text, status bar).
 */
export { clusterRootId, COLORS, contextValueOf, type ClusterViewState, type ExplorerCommand, type ExplorerIcon, type ExplorerKind, type ExplorerNode, type ExplorerSubject } from './model';
export { nodeStateOf, primitiveStateOf, type NodeState, type ResourceState } from './states';
export { buildClusterTree, configProblemNode } from './clusterTree';
export { healthOf, summarize, type ClusterSummaryLine } from './summary';
export { changedNodes, hashTree, nodeHash } from './diff';
export { statusBarText, treeToText } from './text';
