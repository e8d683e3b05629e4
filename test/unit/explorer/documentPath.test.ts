// The read-only XML documents name their cluster in one encoded path segment: any valid name round-trips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXmlDocumentPath, xmlDocumentPath } from '../../../src/core/explorer/documentPath';

const names = ['cluster1', 'ha 50%', 'prod/eu', 'a%2Fb', '100%/50%', 'x#y?z=1', 'ünï cødé', '%E0%A4%A', '..', 'a//b'];

test('a cluster name with %, /, #, ? or an escape-like sequence round-trips through the document path', () => {
  for (const name of names) {
    for (const which of ['crm_mon', 'cib'] as const) {
      const path = xmlDocumentPath(name, which);
      assert.equal(path.split('/').length, 3, `${JSON.stringify(name)} stays one segment: ${path}`);
      assert.deepEqual(parseXmlDocumentPath(path), { cluster: name, which }, path);
    }
  }
});

test('a path that is not one of ours (or has a broken escape) is undefined, not a thrown URIError', () => {
  for (const path of ['/cluster1', '/cluster1/other.xml', '/a/b/crm_mon.xml', '/%E0%A4%A/cib.xml', '']) {
    assert.equal(parseXmlDocumentPath(path), undefined, path);
  }
});
