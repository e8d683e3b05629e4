/** Each request as the `pcx` command that does the same, shown in previews and logs so it can be repeated. */
import { quoteArgv } from '../util/shellQuote';
import type { OperationRequest } from './types';

export function cliArgv(req: OperationRequest): string[] {
  const r = req.resource ? [req.resource] : [];
  const keep = req.keepConstraint ? ['--keep-constraint'] : [];
  switch (req.kind) {
    case 'cleanup': return ['pcx', 'cleanup', ...r, ...(req.node ? ['--node', req.node] : [])];
    case 'switchover': return ['pcx', 'switchover', ...r, '--to', req.node ?? 'NODE', ...keep];
    case 'failover': return ['pcx', 'failover', ...r, ...keep];
    case 'move': return ['pcx', 'move', ...r, '--to', req.node ?? 'NODE', ...keep];
    case 'ban': return ['pcx', 'ban', ...r, '--from', req.node ?? 'NODE'];
    case 'node-maintenance': return ['pcx', 'maintenance', req.on ? 'on' : 'off', '--node', req.node ?? 'NODE'];
    case 'maintenance-mode': return ['pcx', 'maintenance', req.on ? 'on' : 'off'];
    case 'standby': case 'unstandby': return ['pcx', req.kind, req.node ?? 'NODE'];
    case 'node-stop': return ['pcx', 'stop', '--node', req.node ?? 'NODE'];
    case 'node-start': return ['pcx', 'start', '--node', req.node ?? 'NODE'];
    case 'cluster-stop': return ['pcx', 'stop'];
    case 'cluster-start': return ['pcx', 'start', ...(req.first ? ['--first', req.first] : [])];
    default: return ['pcx', req.kind, ...r];
  }
}

export function cliEquivalent(req: OperationRequest): string {
  return quoteArgv(cliArgv(req));
}
