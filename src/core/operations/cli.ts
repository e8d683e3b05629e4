/** Each request as the `pcx` command that does the same, shown in previews and logs so it can be repeated. */
import { quoteArgv } from '../util/shellQuote';
import type { OperationRequest } from './types';

/** `--node NAME`, or `--node=NAME` when NAME starts with "-" (pcx's parser would take it for an option). */
const opt = (name: string, value: string): string[] => (value.startsWith('-') ? [`${name}=${value}`] : [name, value]);
/** A positional name after `--` when it starts with "-". */
const positional = (value: string): string[] => (value.startsWith('-') ? ['--', value] : [value]);

export function cliArgv(req: OperationRequest): string[] {
  const r = req.resource ? [req.resource] : []; // resource ids are XML IDs: never starting with "-"
  const keep = req.keepConstraint ? ['--keep-constraint'] : [];
  switch (req.kind) {
    case 'cleanup': return ['pcx', 'cleanup', ...r, ...(req.node ? opt('--node', req.node) : [])];
    case 'switchover': return ['pcx', 'switchover', ...r, ...opt('--to', req.node ?? 'NODE'), ...keep];
    case 'failover': return ['pcx', 'failover', ...r, ...keep];
    case 'move': return ['pcx', 'move', ...r, ...opt('--to', req.node ?? 'NODE'), ...keep];
    case 'ban': return ['pcx', 'ban', ...r, ...opt('--from', req.node ?? 'NODE')];
    case 'node-maintenance': return ['pcx', 'maintenance', req.on ? 'on' : 'off', ...opt('--node', req.node ?? 'NODE')];
    case 'maintenance-mode': return ['pcx', 'maintenance', req.on ? 'on' : 'off'];
    case 'standby': case 'unstandby': return ['pcx', req.kind, ...positional(req.node ?? 'NODE')];
    case 'node-stop': return ['pcx', 'stop', ...opt('--node', req.node ?? 'NODE')];
    case 'node-start': return ['pcx', 'start', ...opt('--node', req.node ?? 'NODE')];
    case 'cluster-stop': return ['pcx', 'stop'];
    case 'cluster-start': return ['pcx', 'start', ...(req.first ? opt('--first', req.first) : [])];
    default: return ['pcx', req.kind, ...r];
  }
}

export function cliEquivalent(req: OperationRequest): string {
  return quoteArgv(cliArgv(req));
}
