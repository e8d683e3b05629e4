#!/usr/bin/env node
// Regenerates src/core/crm/agents/metadata.json from the resource agents and fence agents installed
// on this machine (Debian: resource-agents, fence-agents, pacemaker-cli-utils), via
// `crm_resource --show-metadata CLASS:PROVIDER:TYPE`. Run: node scripts/gen-agent-metadata.mjs
// Descriptions are trimmed so the bundle stays small; the list of agents is the one below.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';

const AGENTS = [
  'ocf:heartbeat:IPaddr2', 'ocf:heartbeat:redis', 'ocf:heartbeat:Filesystem', 'ocf:heartbeat:apache', 'ocf:heartbeat:nginx',
  'ocf:heartbeat:mysql', 'ocf:heartbeat:pgsql', 'ocf:heartbeat:Dummy', 'ocf:heartbeat:Delay', 'ocf:heartbeat:IPsrcaddr',
  'ocf:heartbeat:LVM-activate', 'ocf:heartbeat:Route', 'ocf:heartbeat:nfsserver', 'ocf:heartbeat:exportfs', 'ocf:heartbeat:docker',
  'ocf:pacemaker:Dummy', 'ocf:pacemaker:Stateful', 'ocf:pacemaker:ping', 'ocf:pacemaker:remote', 'ocf:pacemaker:ClusterMon',
  'ocf:pacemaker:attribute', 'ocf:pacemaker:SysInfo', 'ocf:pacemaker:HealthCPU',
  'stonith:fence_dummy', 'stonith:fence_ipmilan', 'stonith:fence_xvm', 'stonith:fence_virsh', 'stonith:fence_sbd', 'stonith:fence_scsi',
  'stonith:fence_aws', 'stonith:fence_azure_arm', 'stonith:fence_gce', 'stonith:fence_vmware_rest', 'stonith:fence_redfish',
  'stonith:fence_kdump', 'stonith:fence_apc_snmp', 'stonith:fence_ilo4', 'stonith:fence_idrac',
];

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['parameter', 'action'].includes(n) });
const text = (v) => (typeof v === 'string' ? v : v && typeof v === 'object' ? String(v['#text'] ?? '') : '').replace(/\s+/g, ' ').trim();
const trim = (s, n) => (s.length > n ? s.slice(0, n - 1).replace(/\s+\S*$/, '') + ' …' : s);

const out = {};
for (const agent of AGENTS) {
  let xml;
  try {
    xml = execFileSync('crm_resource', ['--show-metadata', agent], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    process.stderr.write(`skipped ${agent}: not installed here\n`);
    continue;
  }
  const ra = parser.parse(xml)['resource-agent'];
  out[agent] = {
    shortdesc: text(ra.shortdesc),
    longdesc: trim(text(ra.longdesc), 600),
    parameters: (ra.parameters?.parameter ?? []).map((p) => ({
      name: p.name,
      ...(p.required === '1' ? { required: true } : {}),
      ...(p.unique === '1' ? { unique: true } : {}),
      ...(p.deprecated !== undefined || /deprecated/i.test(text(p.shortdesc)) ? { deprecated: true } : {}),
      type: p.content?.type ?? 'string',
      ...(p.content?.default !== undefined && p.content.default !== '' ? { default: String(p.content.default) } : {}),
      shortdesc: text(p.shortdesc),
      longdesc: trim(text(p.longdesc), 500),
    })),
    actions: (ra.actions?.action ?? []).map((a) => ({
      name: a.name,
      ...(a.timeout ? { timeout: a.timeout } : {}),
      ...(a.interval ? { interval: a.interval } : {}),
      ...(a.role ? { role: a.role } : {}),
    })),
  };
}
writeFileSync(new URL('../src/core/crm/agents/metadata.json', import.meta.url), JSON.stringify(out, null, 1) + '\n');
process.stderr.write(`wrote ${Object.keys(out).length} agents\n`);
