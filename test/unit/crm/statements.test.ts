// Alerts, bundles and ACLs in crm syntax both ways (crmsh's XML for their fixtures is checked in oracle.test.ts),
// brackets inside a word (an rsc-pattern's character class, value-source's param{…}) and bad statements.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compileCrm } from '../../../src/core/crm/index';
import { cibXmlToCrm } from '../../../src/core/crm/fromCib';
import { lexCrm } from '../../../src/core/crm/lexer';
import { expandShortcut, shortcutOf } from '../../../src/core/crm/acls';
import { lintCrm } from '../../../src/core/crm/lint';
import { renameAt } from '../../../src/core/crm/navigation';
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

// What crmsh 4.4.1's `configure show` printed for test/fixtures/crm/bundles.crm (its resources part).
const BUNDLES_SHOW = `bundle httpd \\
\tdocker image="pcmk:httpd" replicas=3 options="--log-driver=journald" \\
\tnetwork ip-range-start=192.0.2.131 host-netmask=24 control-port=3121 port-mapping id=httpd-port port=80 port-mapping id=httpd-port2 port=443 internal-port=8443 \\
\tstorage storage-mapping id=httpd-root source-dir="/srv/html" target-dir="/var/www/html" options=rw storage-mapping id=httpd-logs source-dir-root="/var/log/pacemaker/bundles" target-dir="/etc/httpd/logs" options=rw \\
\tmeta target-role=Started \\
\tprimitive httpd-apache
bundle redis-bundle \\
\tdocker image="localhost/redis:7" replicas=2 promoted-max=1 \\
\tnetwork control-port=3123 \\
\tprimitive redis-inner
group web web-fs web-ip
`;

test('bundles compile with their primitive inside and render back as crmsh shows them (after primitives, before groups)', () => {
  const text = readFileSync(join(resolve(__dirname, '..', '..', '..'), 'test', 'fixtures', 'crm', 'bundles.crm'), 'utf8');
  const compiled = compileCrm(parseCrm(text));
  assert.deepEqual(compiled.unsupported, []);
  // The primitive moved into its bundle, after the container parts and before the meta.
  assert.match(compiled.xml, /<bundle id="httpd">\s*<docker image="pcmk:httpd" replicas="3" options="--log-driver=journald"\/>\s*<network [^>]*>\s*<port-mapping id="httpd-port" port="80"\/>[\s\S]*?<\/storage>\s*<primitive id="httpd-apache"[\s\S]*?<\/primitive>\s*<meta_attributes id="httpd-meta_attributes">/);
  assert.doesNotMatch(compiled.xml, /<\/bundle>\s*<primitive id="httpd-apache"/);
  const shown = cibXmlToCrm(compiled.xml);
  assert.ok(shown.ok);
  assert.deepEqual(shown.value.unsupported, []);
  const from = shown.value.text.indexOf('bundle httpd');
  assert.equal(shown.value.text.slice(from, shown.value.text.indexOf('clone ping-clone')), BUNDLES_SHOW);
});

test('podman bundles (Pacemaker 2.x; crmsh 4.4 knows docker and rkt only) compile too; a bundle without a container is an error', () => {
  const xml = compileCrm(parseCrm('primitive r ocf:heartbeat:Dummy\nbundle b podman image=x:1 replicas=2 primitive r\n')).xml;
  assert.match(xml, /<bundle id="b">\s*<podman image="x:1" replicas="2"\/>\s*<primitive id="r"/);
  const errors = lintCrm('bundle b1 primitive r\nbundle b2 docker image=x bogus\n').diagnostics.filter((d) => d.code === 'crm/syntax').map((d) => `${d.range.start.line + 1}: ${d.message}`);
  assert.deepEqual(errors, ['1: Bundle b1 names no container: add "docker image=…" (or podman, rkt).', '2: Unexpected "bogus" in a bundle: expected docker, podman, rkt, network, storage, primitive or meta.']);
});

// What crmsh 4.4.1's `configure show` printed for test/fixtures/crm/acls.crm (its ACL part).
const ACLS_SHOW = `role basic-read \\
\tread status \\
\tread attr:uname type:node \\
\tread property
role d0-admin \\
\twrite meta:d0:target-role \\
\twrite meta:d0:is-managed \\
\tread ref:d0
role silly-role \\
\tread utilization:d0 \\
\tread property:stonith-enabled \\
\tread node:node1 \\
\tread nodeattr:a1 \\
\tread nodeutil:node1 \\
\tread xpath:"//nodes//attributes" \\
\tdeny type:nvpair \\
\tread cib
acl_target alice \\
\tbasic-read \\
\td0-admin
acl_group operators \\
\tbasic-read
`;

test('ACL roles, targets and groups compile to <acls> (shortcuts expanded) and render back as crmsh shows them', () => {
  const text = readFileSync(join(resolve(__dirname, '..', '..', '..'), 'test', 'fixtures', 'crm', 'acls.crm'), 'utf8');
  const compiled = compileCrm(parseCrm(text));
  assert.deepEqual(compiled.unsupported, []);
  assert.match(compiled.xml, /<acl_permission kind="write" xpath="\/\/primitive\[@id='d0'\]\/meta_attributes\/nvpair\[@name='target-role'\]" id="d0-admin-0"\/>/);
  assert.match(compiled.xml, /<acl_permission kind="read" object-type="node" attribute="uname" id="basic-read-1"\/>/);
  assert.match(compiled.xml, /<acl_target id="alice">\s*<role id="basic-read"\/>\s*<role id="d0-admin"\/>/);
  const shown = cibXmlToCrm(compiled.xml);
  assert.ok(shown.ok);
  assert.deepEqual(shown.value.unsupported, []);
  assert.equal(shown.value.text.slice(shown.value.text.indexOf('role basic-read')), ACLS_SHOW);
});

test('ACL shortcuts: expanded as crmsh does, and an XPath shown as its shortcut only when it is one', () => {
  assert.equal(expandShortcut('meta', ['d0', 'target-role']), "//primitive[@id='d0']/meta_attributes/nvpair[@name='target-role']");
  assert.equal(expandShortcut('nodeattr', ['a1']), "//nodes/node/instance_attributes/nvpair[@name='a1']");
  assert.equal(expandShortcut('location', ['vip']), "//rsc_location[@id='cli-prefer-vip' and @rsc='vip']");
  assert.deepEqual(expandShortcut('meta', []), { error: 'The ACL shortcut meta needs an argument, e.g. meta:rsc1.' });
  assert.equal(shortcutOf("//rsc_location[@id='cli-prefer-vip' and @rsc='vip']"), 'location:vip');
  assert.equal(shortcutOf("//rsc_location[@id='cli-prefer-vip' and @rsc='web']"), undefined);
  assert.equal(shortcutOf('/cib/status'), 'status');
  assert.equal(shortcutOf('/cib/configuration'), undefined);
});

test('renaming a resource follows ref: in roles; broken ACL statements are errors at the place', () => {
  const text = 'primitive d0 ocf:heartbeat:Dummy\nrole r1 read ref:d0\n';
  const r = renameAt(text, { line: 0, character: 11 }, 'web');
  assert.ok(r.ok);
  assert.deepEqual(r.edits.map((e) => `${e.range.start.line}:${e.range.start.character}-${e.range.end.character}=${e.newText}`), ['0:10-12=web', '1:17-19=web']);
  const bad = ['role', 'role r2 read', 'role r3 maybe ref:x', 'role r4 read attr:uname', 'role r5 write meta'].join('\n') + '\n';
  assert.deepEqual(lintCrm(bad).diagnostics.filter((d) => d.code === 'crm/syntax').map((d) => `${d.range.start.line + 1}: ${d.message}`), [
    '1: A role needs an id and permissions, e.g. "role readers read cib".',
    '2: "read" needs what it applies to, e.g. "read ref:rsc1" or "read xpath:/cib/status".',
    '3: Expected read, write or deny in role r3, not "maybe".',
    '4: attr: is valid only together with type: (e.g. "read attr:uname type:node").',
    '5: The ACL shortcut meta needs an argument, e.g. meta:rsc1.',
  ]);
});
