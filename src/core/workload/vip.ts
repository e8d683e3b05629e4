/**
 * Where each IPaddr2 VIP really is: `ip -o -4 addr show` on every node (one line per address, iproute2's
 * stable one-line form), compared with where Pacemaker runs the resource.
 */
import type { HealthReason } from '../cluster/health';
import type { VirtualIp } from '../cluster/types';
import type { VipView } from './types';

/** The read command, as an argv (no root needed). */
export const IP_ADDR_ARGV = ['ip', '-o', '-4', 'addr', 'show'] as const;

export interface InterfaceAddress {
  readonly nic: string;
  readonly address: string;
  readonly prefix: number;
}

/** `2: eth0    inet 10.213.0.100/24 scope global secondary eth0\       valid_lft forever …` → eth0, 10.213.0.100, 24. */
export function parseIpAddrShow(text: string): InterfaceAddress[] {
  const out: InterfaceAddress[] = [];
  for (const line of text.split('\n')) {
    const m = /^\d+:\s+(\S+)\s+inet\s+(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})\b/.exec(line.trim());
    if (m) out.push({ nic: m[1]!.replace(/@.*$/, ''), address: m[2]!, prefix: Number(m[3]) });
  }
  return out;
}

/** Each VIP with an address, where Pacemaker has it and where the nodes' interfaces have it. */
export function vipViews(vips: readonly VirtualIp[], addresses: ReadonlyMap<string, readonly InterfaceAddress[] | undefined>): VipView[] {
  return vips
    .filter((v): v is VirtualIp & { ip: string } => typeof v.ip === 'string' && v.ip !== '')
    .map((v) => {
      const actual: { node: string; nic: string; prefix: number }[] = [];
      const unknown: string[] = [];
      for (const [node, list] of addresses) {
        if (!list) unknown.push(node);
        else for (const a of list) if (a.address === v.ip) actual.push({ node, nic: a.nic, prefix: a.prefix });
      }
      return { resource: v.resource, ip: v.ip, pacemakerNodes: v.nodes, actual, unknown };
    });
}

const removeCmd = (ip: string, a: { node: string; nic: string; prefix: number }): string => `\`ip addr del ${ip}/${a.prefix} dev ${a.nic}\` on ${a.node}`;

/** workload/vip-duplicate (on two nodes) and workload/vip-misplaced (elsewhere than Pacemaker says, or nowhere). */
export function vipReasons(views: readonly VipView[]): HealthReason[] {
  const reasons: HealthReason[] = [];
  for (const v of views) {
    const holders = [...new Set(v.actual.map((a) => a.node))];
    const said = v.pacemakerNodes;
    const where = said.length > 0 ? `Pacemaker runs ${v.resource} on ${said.join(', ')}` : `Pacemaker has ${v.resource} stopped`;
    if (holders.length > 1) {
      const strays = v.actual.filter((a) => !said.includes(a.node));
      reasons.push({
        code: 'workload/vip-duplicate',
        severity: 'error',
        subject: v.resource,
        message: `the VIP ${v.ip} is on ${holders.length} nodes at once (${holders.join(', ')}); ${where}: clients reach either node at random (ARP)`,
        fix: strays.length > 0
          ? `remove the stray address: ${strays.map((a) => removeCmd(v.ip, a)).join(' and ')}`
          : `remove it from all but one node (${v.actual.slice(1).map((a) => removeCmd(v.ip, a)).join(' and ')}), then \`pcs resource cleanup ${v.resource}\``,
      });
      continue;
    }
    if (holders.length === 1 && !said.includes(holders[0]!)) {
      const stray = v.actual[0]!;
      reasons.push({
        code: 'workload/vip-misplaced',
        severity: 'error',
        subject: v.resource,
        message: `the VIP ${v.ip} is on ${stray.node} (${stray.nic}), but ${where}`,
        fix: said.length > 0
          ? `remove the address from ${stray.node} (${removeCmd(v.ip, stray)}), then \`pcs resource cleanup ${v.resource}\` (or \`crm resource cleanup ${v.resource}\`) so Pacemaker re-checks it`
          : `the address was left behind: remove it (${removeCmd(v.ip, stray)}), or start the resource: \`pcs resource enable ${v.resource}\``,
      });
      continue;
    }
    // Nowhere while Pacemaker says it runs: only when every node was read (else it may be on an unread one).
    if (holders.length === 0 && said.length > 0 && v.unknown.length === 0) {
      reasons.push({
        code: 'workload/vip-misplaced',
        severity: 'error',
        subject: v.resource,
        message: `the VIP ${v.ip} is on no node, but ${where}: clients cannot reach the service`,
        fix: `let Pacemaker notice and restart it: \`pcs resource cleanup ${v.resource}\` (or \`crm resource cleanup ${v.resource}\`); check the nic and netmask parameters if it keeps happening`,
      });
    }
  }
  return reasons;
}
