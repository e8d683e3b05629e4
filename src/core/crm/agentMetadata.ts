/**
 * An OCF resource agent's meta-data XML (what `crm_resource --show-metadata CLASS:PROVIDER:TYPE` prints) as the
 * AgentMeta the linter, completion and hover use. One conversion for the bundled data (scripts/gen-agent-metadata.mjs)
 * and for a connected cluster's own agents (clusterAgents.ts).
 */
import type { XMLParser } from 'fast-xml-parser';
import { fastXmlParser } from '../util/xml';
import type { AgentMeta } from './agents';
import { PcxFailure } from '../util/result';

let metadataParser: XMLParser | undefined;
// Made on first use: fast-xml-parser is loaded lazily (util/xml.ts).
const parser = (): XMLParser => (metadataParser ??= new (fastXmlParser().XMLParser)({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'parameter' || n === 'action' }));

type Node = Record<string, unknown>;
const text = (v: unknown): string => (typeof v === 'string' ? v : v && typeof v === 'object' ? String((v as Node)['#text'] ?? '') : '').replace(/\s+/g, ' ').trim();
/** Descriptions are cut at a word boundary so the bundle (and a hover) stays small. */
const trim = (s: string, n: number): string => (s.length > n ? s.slice(0, n - 1).replace(/\s+\S*$/, '') + ' …' : s);
const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));

export function parseAgentMetadata(xml: string, agent: string): AgentMeta {
  let doc: Node;
  try {
    doc = parser().parse(xml) as Node;
  } catch (e) {
    throw new PcxFailure('agent-metadata-unreadable', `the meta-data of ${agent} is not XML: ${(e as Error).message}`, 'run crm_resource --show-metadata on the node to see what the agent prints');
  }
  const ra = doc['resource-agent'] as Node | undefined;
  if (!ra || typeof ra !== 'object') {
    throw new PcxFailure('agent-metadata-unreadable', `the meta-data of ${agent} has no <resource-agent> element`, 'run crm_resource --show-metadata on the node to see what the agent prints');
  }
  const params = ((ra['parameters'] as Node | undefined)?.['parameter'] ?? []) as Node[];
  const actions = ((ra['actions'] as Node | undefined)?.['action'] ?? []) as Node[];
  return {
    shortdesc: text(ra['shortdesc']),
    longdesc: trim(text(ra['longdesc']), 600),
    parameters: params.map((p) => {
      const content = (p['content'] ?? {}) as Node;
      const def = str(content['default']);
      return {
        name: String(p['name']),
        ...(p['required'] === '1' ? { required: true } : {}),
        ...(p['unique'] === '1' ? { unique: true } : {}),
        ...(p['deprecated'] !== undefined || /deprecated/i.test(text(p['shortdesc'])) ? { deprecated: true } : {}),
        type: str(content['type']) ?? 'string',
        ...(def !== undefined ? { default: def } : {}),
        shortdesc: text(p['shortdesc']),
        longdesc: trim(text(p['longdesc']), 500),
      };
    }),
    actions: actions.map((a) => ({
      name: String(a['name']),
      ...(str(a['timeout']) ? { timeout: str(a['timeout']) } : {}),
      ...(str(a['interval']) ? { interval: str(a['interval']) } : {}),
      ...(str(a['role']) ? { role: str(a['role']) } : {}),
    })),
  };
}
