#!/usr/bin/env node
// Regenerates src/core/crm/agents/metadata.json from the resource agents and fence agents installed
// on this machine (Debian: resource-agents, fence-agents, pacemaker-cli-utils), via
// `crm_resource --show-metadata CLASS:PROVIDER:TYPE`. Run: node --import tsx scripts/gen-agent-metadata.mjs
// Descriptions are trimmed so the bundle stays small (agentMetadata.ts); the list of agents is the one below.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
// The same conversion the extension uses for a connected cluster's agents.
import { parseAgentMetadata } from '../src/core/crm/agentMetadata.ts';

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

const out = {};
for (const agent of AGENTS) {
  let xml;
  try {
    xml = execFileSync('crm_resource', ['--show-metadata', agent], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    process.stderr.write(`skipped ${agent}: not installed here\n`);
    continue;
  }
  out[agent] = parseAgentMetadata(xml, agent);
}
writeFileSync(new URL('../src/core/crm/agents/metadata.json', import.meta.url), JSON.stringify(out, null, 1) + '\n');
process.stderr.write(`wrote ${Object.keys(out).length} agents\n`);
