/**
 * Syntax tree of a crm configuration file. Every node keeps the tokens it came from, so linters,
 * hover and rename get exact ranges; the compiler (compile.ts) turns it into CIB XML.
 */
import type { Range } from '../lint/types';
import type { Statement, Token } from './lexer';

export interface NvPair {
  readonly name: string;
  readonly value: string;
  readonly token: Token;
  /** Ranges of the name and the value inside the token. */
  readonly nameRange: Range;
  readonly valueRange: Range;
}

export type RuleExpr =
  | { readonly kind: 'attr'; readonly attribute: Token; readonly op: Token; readonly type?: string; readonly value: Token }
  | { readonly kind: 'defined'; readonly op: 'defined' | 'not_defined'; readonly attribute: Token }
  | { readonly kind: 'date'; readonly op: 'gt' | 'lt' | 'in_range' | 'date_spec'; readonly value?: Token; readonly pairs: readonly NvPair[]; readonly token: Token };

export interface Rule {
  readonly keyword: Token;
  readonly id?: string;
  readonly idRef?: string;
  readonly role?: Token;
  /** Numeric or inf score, or the name of a score attribute. */
  readonly score?: Token;
  readonly booleanOp?: 'and' | 'or';
  readonly exprs: readonly RuleExpr[];
}

export type SetKind = 'params' | 'meta' | 'utilization' | 'attributes' | 'op_params' | 'op_meta';

export interface AttrSet {
  readonly kind: SetKind;
  readonly keyword: Token;
  readonly id?: string;
  readonly idRef?: string;
  readonly score?: Token;
  readonly rules: readonly Rule[];
  readonly pairs: readonly NvPair[];
  /** `@nvpair-id` references. */
  readonly refs: readonly Token[];
}

export interface Op {
  readonly keyword: Token;
  readonly action: Token;
  readonly attrs: readonly NvPair[];
  readonly sets: readonly AttrSet[];
}

export interface ResourceRef {
  readonly kind: 'ref';
  readonly token: Token;
  /** The resource id (before `:`). */
  readonly id: string;
  readonly idRange: Range;
  /** Role or action after `:` (`Promoted`, `promote`). */
  readonly suffix?: string;
  readonly suffixRange?: Range;
}

export interface ResourceSet {
  readonly kind: 'set';
  readonly open: Token;
  /** `(` sequential=false, `[` require-all=false, `{` a location's list. */
  readonly bracket: '(' | '[' | '{';
  readonly refs: readonly ResourceRef[];
  readonly attrs: readonly NvPair[];
}

export type RscItem = ResourceRef | ResourceSet;

interface Base {
  readonly statement: Statement;
  readonly keyword: Token;
  /** The id (or node name, or set name for property). */
  readonly id?: Token;
  readonly range: Range;
}

export interface PrimitiveNode extends Base {
  readonly type: 'primitive' | 'rsc_template';
  readonly agent?: Token;
  readonly template?: Token;
  readonly description?: string;
  readonly sets: readonly AttrSet[];
  readonly ops: readonly Op[];
  readonly operationsId?: string;
  readonly operationsIdRef?: string;
}

export interface ContainerNode extends Base {
  readonly type: 'group' | 'clone' | 'ms';
  readonly children: readonly Token[];
  readonly description?: string;
  readonly sets: readonly AttrSet[];
}

export interface NodeNode extends Base {
  readonly type: 'node';
  readonly nodeId?: string;
  readonly nodeType?: string;
  readonly description?: string;
  readonly sets: readonly AttrSet[];
}

export interface LocationNode extends Base {
  readonly type: 'location';
  readonly items: readonly RscItem[];
  readonly rscPattern?: NvPair;
  readonly role?: NvPair;
  readonly score?: Token;
  readonly node?: Token;
  readonly rules: readonly Rule[];
  readonly attrs: readonly NvPair[];
}

export interface ConstraintNode extends Base {
  readonly type: 'colocation' | 'order' | 'rsc_ticket';
  /** Score, order kind, or ticket name (with its `:`). */
  readonly score?: Token;
  readonly items: readonly RscItem[];
  readonly attrs: readonly NvPair[];
}

export interface PropertyNode extends Base {
  readonly type: 'property' | 'rsc_defaults' | 'op_defaults';
  readonly setId?: string;
  readonly sets: readonly AttrSet[];
}

export interface TagNode extends Base {
  readonly type: 'tag';
  readonly refs: readonly Token[];
}

export interface FencingTopologyNode extends Base {
  readonly type: 'fencing_topology';
  /** Levels grouped by target; a target of undefined applies to every node. */
  readonly levels: readonly { readonly target?: Token; readonly devices: readonly Token[] }[];
}

export interface AlertRecipient {
  readonly value: Token;
  readonly sets: readonly AttrSet[];
}

/** `alert ID PATH [attributes …] [meta …] [select …] [to RECIPIENT …]…` (alerts.ts). */
export interface AlertNode extends Base {
  readonly type: 'alert';
  readonly path?: Token;
  readonly sets: readonly AttrSet[];
  /** `nodes`, `fencing`, `resources`, `attributes` as written after `select`. */
  readonly select: readonly Token[];
  /** The names inside `select attributes { … }`. */
  readonly selectAttributes: readonly Token[];
  readonly recipients: readonly AlertRecipient[];
}

/** `bundle ID docker|podman|rkt … [network …] [storage …] [primitive RSC] [meta …]` (bundles.ts). */
export interface BundleNode extends Base {
  readonly type: 'bundle';
  readonly container?: { readonly kind: Token; readonly pairs: readonly NvPair[] };
  readonly network?: { readonly keyword: Token; readonly pairs: readonly NvPair[]; readonly portMappings: readonly (readonly NvPair[])[] };
  readonly storage?: { readonly keyword: Token; readonly mappings: readonly (readonly NvPair[])[] };
  /** The resource the bundle runs (defined by its own primitive statement). */
  readonly primitive?: Token;
  readonly sets: readonly AttrSet[];
}

export interface AclPermission {
  /** read, write or deny. */
  readonly kind: Token;
  readonly id?: string;
  readonly description?: string;
  /** What it applies to, shortcuts expanded to their XPath. */
  readonly specs: readonly { readonly kind: 'xpath' | 'reference' | 'object-type' | 'attribute'; readonly value: string; readonly token: Token }[];
}

/** `role ID permission…`, `acl_target ID role…`, `acl_group ID role…` (acls.ts). */
export interface AclNode extends Base {
  readonly type: 'acl';
  readonly aclKind: 'role' | 'acl_target' | 'acl_group';
  readonly description?: string;
  /** acl_target/acl_group: the roles named. */
  readonly roles: readonly Token[];
  /** role: its permissions. */
  readonly permissions: readonly AclPermission[];
}

/** Statements we recognise but do not compile (the old ACL `user`, schema): kept for formatting and outline. */
export interface OtherNode extends Base {
  readonly type: 'other';
  readonly kind: string;
}

export type CrmNode =
  | PrimitiveNode
  | ContainerNode
  | NodeNode
  | LocationNode
  | ConstraintNode
  | PropertyNode
  | TagNode
  | FencingTopologyNode
  | AlertNode
  | BundleNode
  | AclNode
  | OtherNode;

export interface CrmProblem {
  readonly range: Range;
  readonly code: string;
  readonly message: string;
}

export interface CrmDocument {
  readonly nodes: readonly CrmNode[];
  readonly lines: readonly string[];
  readonly problems: readonly CrmProblem[];
  readonly trailingComments: readonly string[];
}
