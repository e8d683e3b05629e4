// Alerts in crm syntax both ways (crmsh's XML for the fixture is checked in oracle.test.ts), brackets inside
// a word (an rsc-pattern's character class, value-source's param{…}) and bad alert statements.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compileCrm } from '../../../src/core/crm/index';
import { cibXmlToCrm } from '../../../src/core/crm/fromCib';
import { lexCrm } from '../../../src/core/crm/lexer';
import { lintCrm } from '../../../src/core/crm/lint';
import { parseCrm } from '../../../src/core/crm/parser';

const fixture = readFileSync(join(resolve(__dirname, '..', '..', '..'), 'test', 'fixtures', 'crm', 'alerts.crm'), 'utf8');

// What crmsh 4.4.1's `configure show` printed for the fixture after `configure load update` (its own XML).
const CRMSH_SHOW = `alert file_log "/usr/share/pacemaker/alerts/alert_file.sh" \\
\tselect resources \\
\tto "/var/log/cluster alerts.log"
alert notify_9 "/usr/share/pacemaker/alerts/alert_snmp.sh" \\
\tattributes trap_destination=192.0.2.1 \\
\tmeta timeout=10s \\
\tselect nodes fencing attributes { standby shutdown } \\
\tto 192.0.2.2 attributes trap_version=2c meta timeout=5s \\
\tto "/var/log/pcmk-alerts.log"
`;

test('alerts compile to <alerts> and render back in crmsh\'s show layout, sorted by id', () => {
  const compiled = compileCrm(parseCrm(fixture));
  assert.deepEqual(compiled.unsupported, []);
  assert.match(compiled.xml, /<alert id="notify_9" path="\/usr\/share\/pacemaker\/alerts\/alert_snmp.sh">/);
  assert.match(compiled.xml, /<recipient id="notify_9-recipient-2" value="\/var\/log\/pcmk-alerts.log"\/>/);
  assert.match(compiled.xml, /<attribute name="shutdown" id="notify_9-1"\/>/);
  const shown = cibXmlToCrm(compiled.xml);
  assert.ok(shown.ok);
  assert.deepEqual(shown.value.unsupported, []);
  assert.equal(shown.value.text.slice(shown.value.text.indexOf('alert ')), CRMSH_SHOW);
  // …and that text compiles to the same alerts again (in id order, as shown).
  const alerts = (xml: string) => (xml.match(/<alert [\s\S]*?<\/alert>/g) ?? []).sort();
  assert.deepEqual(alerts(compileCrm(parseCrm(shown.value.text)).xml), alerts(compiled.xml));
  assert.equal(alerts(compiled.xml).length, 2);
});

test('a bracket opened inside a word belongs to it: /^rsc[0-9]$/, param{fake}; glued closers still end a word', () => {
  const [loc, order] = lexCrm('location l1 /^rsc[0-9]$/ rule fake gt param{fake}\norder o1 Mandatory: ( a b) [c d]\n').statements;
  assert.deepEqual(loc!.tokens.map((t) => t.text), ['location', 'l1', '/^rsc[0-9]$/', 'rule', 'fake', 'gt', 'param{fake}']);
  assert.deepEqual(order!.tokens.map((t) => t.text), ['order', 'o1', 'Mandatory:', '(', 'a', 'b', ')', '[', 'c', 'd', ']']);
});

test('value-source: param{name} compiles to value-source="param" and renders back', () => {
  const text = 'primitive d ocf:heartbeat:Dummy\nlocation l1 d \\\n\trule inf: fake gt param{fake}\n';
  const xml = compileCrm(parseCrm(text)).xml;
  assert.match(xml, /<expression operation="gt" attribute="fake" value="fake" value-source="param" id="l1-rule-expression"\/>/);
  const shown = cibXmlToCrm(xml);
  assert.ok(shown.ok);
  assert.match(shown.value.text, /rule inf: fake gt param\{fake\}/);
});

test('a broken alert is an error where it breaks, never an exception', () => {
  const bad = ['alert', 'alert a1 /x to', 'alert a2 /x select', 'alert a3 /x bogus', 'alert a4 /x to { 192.0.2.4'].join('\n') + '\n';
  const errors = lintCrm(bad).diagnostics.filter((d) => d.code === 'crm/syntax').map((d) => `${d.range.start.line + 1}: ${d.message}`);
  assert.deepEqual(errors, [
    '1: An alert needs an id and the path of its agent, e.g. "alert snmp /usr/share/pacemaker/alerts/alert_snmp.sh".',
    '2: Expected a recipient after "to", e.g. "to 192.0.2.1" or "to /var/log/alerts.log".',
    '3: Expected nodes, fencing, resources or attributes after "select".',
    '4: Unexpected "bogus" in an alert: expected attributes, meta, select or to.',
    '5: Missing "}" after the recipient.',
  ]);
});
