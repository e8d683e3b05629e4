/**
 * The SSH questions in a real VS Code against the real cluster: the unknown-host-key modal and the passphrase
 * box, their reject paths, and that a refusal is remembered (nothing asks again until the user acts).
 *
 * Set-up of its own (the cluster is not changed): an ssh_config whose node1/node2 use an EMPTY known_hosts, so
 * both host keys are unknown, and a host `p1` (node1's address, its real known_hosts) whose key file is an
 * encrypted copy of the test key.
 *  1. node1's modal: "Don't Trust" is the default button (Enter) → the tree says the key was not trusted, with
 *     Review Host Key…, and no modal comes back for 12 s. Review Host Key… → Trust Once → the tree reads node1,
 *     known_hosts stays empty.
 *  2. node2, discovered from node1, is never asked about in passing: "node2 host key not trusted" with Review
 *     Host Key…; Review → Escape keeps it untrusted, no modal comes back.
 *  3. Passphrase box for p1: Escape → login refused in the tree, no box for 10 s; Retry → the box → the
 *     passphrase → the cluster is read.
 * Screenshots: test-results/ui/hostkey-modal.png, hostkey-refused.png, hostkey-discovered.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openVsCode, uiUnavailableReason, type UiSession } from './harness';
import { NODE_ADDR, STATE_DIR } from '../cluster/helpers';

const PASSPHRASE = 'pcx ui test passphrase';

function skipReason(): string | undefined {
  const ui = uiUnavailableReason();
  if (ui) return ui;
  if (!existsSync(join(STATE_DIR, 'ssh_config'))) return `test cluster not set up (${STATE_DIR}/ssh_config missing: bash test/cluster/cluster.sh up seed)`;
  return undefined;
}

function setUp(): { dir: string; sshConfig: string; knownHosts: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pcx-hostkey-'));
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, '');
  const locked = join(dir, 'locked_ed25519');
  copyFileSync(join(STATE_DIR, 'id_ed25519'), locked);
  execFileSync('chmod', ['600', locked]);
  execFileSync('ssh-keygen', ['-q', '-p', '-N', PASSPHRASE, '-f', locked], { stdio: 'ignore' });
  const host = (alias: string, addr: string, key: string, known: string) =>
    [`Host ${alias}`, `  HostName ${addr}`, '  User root', `  IdentityFile ${key}`, '  IdentitiesOnly yes', `  UserKnownHostsFile ${known}`, '  GlobalKnownHostsFile /dev/null', '  ConnectTimeout 5', ''].join('\n');
  const sshConfig = join(dir, 'ssh_config');
  writeFileSync(
    sshConfig,
    host('node1', NODE_ADDR.node1, join(STATE_DIR, 'id_ed25519'), knownHosts) +
      host('node2', NODE_ADDR.node2, join(STATE_DIR, 'id_ed25519'), knownHosts) +
      host('p1', NODE_ADDR.node1, locked, join(STATE_DIR, 'known_hosts')),
  );
  return { dir, sshConfig, knownHosts };
}

async function rowsOf(page: Page): Promise<string[]> {
  return page.$$eval('.monaco-list-row', (rows) =>
    rows.map((r) => {
      const el = r as unknown as { querySelector(s: string): { textContent: string | null } | null; innerText: string };
      const label = el.querySelector('.label-name')?.textContent ?? el.innerText;
      const description = el.querySelector('.label-description')?.textContent ?? '';
      return `${label} ${description}`.replace(/\s+/g, ' ').trim();
    }),
  );
}

async function waitForRows(ui: UiSession, pred: (rows: string[]) => boolean, timeoutMs: number, what: string): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let rows: string[] = [];
  while (Date.now() < deadline) {
    rows = await rowsOf(ui.page);
    if (pred(rows)) return rows;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; rows:\n  ${rows.join('\n  ')}`);
}

const has = (rows: string[], re: RegExp): boolean => rows.some((r) => re.test(r));
/** The Review Host Key… action row of one host (its label exactly; the error row's hint mentions it too). */
const reviewRow = (page: Page, host: string) =>
  page
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: /^\s*Review Host Key…\s*$/ }) })
    .filter({ has: page.locator('.label-description', { hasText: new RegExp(`^\\s*${host}\\s*$`) }) });

/** Nothing asks for `ms`: no dialog and no input box appears. */
async function nothingAsks(page: Page, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const dialogs = await page.locator('.monaco-dialog-box').count();
    const box = await page.locator('.quick-input-widget:visible').count();
    assert.equal(dialogs + box, 0, `${what}: something asked again`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function widenSideBar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width - 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
}

async function shot(ui: UiSession, name: string): Promise<void> {
  await ui.page.mouse.move(1200, 700);
  await new Promise((r) => setTimeout(r, 300));
  await ui.screenshot(name);
}

test('host-key modal and passphrase box: safe default, Trust Once, reject paths remembered, discovered hosts never asked in passing', { timeout: 600_000 }, async (t) => {
  const reason = skipReason();
  if (reason) {
    t.skip(reason);
    return;
  }
  const { sshConfig, knownHosts } = setUp();
  const ui = await openVsCode({
    settings: { 'pacemaker.ssh.configFile': sshConfig },
    files: { '.pacemaker/clusters.json': JSON.stringify({ clusters: [{ name: 'cluster1', hosts: ['node1'] }] }, null, 2) },
    viewport: { width: 1500, height: 950 },
  });
  const { page } = ui;
  try {
    await page.click('.activitybar [aria-label^="Pacemaker"]');
    await widenSideBar(page, 800);

    // ---- 1. node1's modal: the default is Don't Trust
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: 60_000 });
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /authenticity of host "node1" \(cluster cluster1\) can't be established/);
    assert.match(text, /SHA256:/);
    const focused = await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string | null } | null } }).document.activeElement?.textContent?.trim());
    assert.equal(focused, "Don't Trust", 'the focused (Enter) button is the safe one');
    await shot(ui, 'hostkey-modal');
    await page.keyboard.press('Enter');
    await waitForRows(ui, (rows) => has(rows, /host key of node1 .*was not trusted in this window/) && has(rows, /^Review Host Key…/), 30_000, 'the refusal in the tree with Review Host Key…');
    await nothingAsks(page, 12_000, 'after Don\'t Trust');
    await shot(ui, 'hostkey-refused');
    assert.equal(readFileSync(knownHosts, 'utf8'), '', 'nothing saved');

    // Review Host Key… → Trust Once → read; still nothing saved
    await reviewRow(page, 'node1').click();
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    await page.click('.monaco-dialog-box .monaco-button:has-text("Trust Once")');
    await waitForRows(ui, (rows) => has(rows, /^redis-clone Promoted on node1/), 60_000, 'the cluster read after Trust Once');
    assert.equal(readFileSync(knownHosts, 'utf8'), '', 'Trust Once saves nothing');

    // ---- 2. node2, discovered: reported, never asked about in passing
    const discovered = await waitForRows(ui, (rows) => has(rows, /^node2 host key not trusted .*discovered from the cluster/) && has(rows, /^Review Host Key… node2/), 30_000, 'node2 (discovered) reported with Review Host Key…');
    console.log(`discovered node2 with an unknown key:\n  ${discovered.join('\n  ')}`);
    assert.equal(await dialog.count(), 0, 'no modal for the discovered host');
    await shot(ui, 'hostkey-discovered');
    await reviewRow(page, 'node2').click();
    await dialog.waitFor({ state: 'visible', timeout: 15_000 });
    assert.match((await dialog.innerText()).replace(/\s+/g, ' '), /authenticity of host "node2"/);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 5_000 });
    await nothingAsks(page, 5_000, 'after Escape on node2\'s review');
    assert.ok(has(await rowsOf(page), /^node2 host key not trusted/), 'still untrusted');

    // ---- 3. the passphrase box: Escape is remembered, Retry asks again
    writeFileSync(
      join(ui.workspace, '.pacemaker', 'clusters.json'),
      JSON.stringify({ clusters: [{ name: 'cluster1', hosts: ['node1'] }, { name: 'locked', hosts: ['p1'] }] }, null, 2),
    );
    const box = page.locator('.quick-input-widget:visible');
    await box.waitFor({ timeout: 60_000 });
    assert.match(await box.innerText(), /Passphrase for .*locked_ed25519 to log in to p1/);
    await page.keyboard.press('Escape');
    await waitForRows(ui, (rows) => has(rows, /^locked /) && has(rows, /root@p1 refused every key offered|skipped \(no passphrase given\)/), 30_000, 'the locked cluster: login refused');
    await nothingAsks(page, 10_000, 'after Escape on the passphrase box');
    const retry = page.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: /^\s*Retry\s*$/ }) }).first();
    await retry.click();
    await box.waitFor({ timeout: 30_000 });
    await page.keyboard.type(PASSPHRASE);
    await page.keyboard.press('Enter');
    await waitForRows(ui, (rows) => has(rows, /^locked (✓|⚠)/), 60_000, 'the locked cluster read after the passphrase');
  } finally {
    await ui.close();
  }
});
