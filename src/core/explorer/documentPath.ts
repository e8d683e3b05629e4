/**
 * Paths of the read-only XML documents (`pacemaker:/<cluster>/crm_mon.xml`, `…/cib.xml`). The cluster
 * name is one encoded path segment, so a `/`, `%`, `#` or `?` in it can neither split the path nor
 * be decoded twice.
 */
export type XmlDocumentKind = 'crm_mon' | 'cib';

export function xmlDocumentPath(cluster: string, which: XmlDocumentKind): string {
  return `/${encodeURIComponent(cluster)}/${which}.xml`;
}

/** The cluster and document a path names, or undefined for any other path (never throws). */
export function parseXmlDocumentPath(path: string): { cluster: string; which: XmlDocumentKind } | undefined {
  const m = /^\/([^/]+)\/(crm_mon|cib)\.xml$/.exec(path);
  if (!m) return undefined;
  try {
    return { cluster: decodeURIComponent(m[1]!), which: m[2] as XmlDocumentKind };
  } catch {
    return undefined; // a malformed escape: not a path we made
  }
}
