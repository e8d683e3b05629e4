/**
 * A real VS Code for UI tests: code-server 4.99 (VS Code 1.99) serving the packaged VSIX, driven in
 * Debian's Chromium by playwright-core. Each session gets its own user-data and extensions dirs, so runs
 * never share state. Screenshots go to test-results/ui/ — look at them.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export const repoRoot = resolve(__dirname, '..', '..');
export const codeServerBin = join(repoRoot, '.tools', 'code-server', 'node_modules', '.bin', 'code-server');
export const chromiumPath = '/usr/bin/chromium';
export const artifactsDir = join(repoRoot, 'test-results', 'ui');

/** Why UI tests can't run here, or undefined when they can. */
export function uiUnavailableReason(): string | undefined {
  if (!existsSync(codeServerBin)) return `code-server not installed (run: bash scripts/install-ui-tools.sh)`;
  if (!existsSync(chromiumPath)) return `Chromium not installed (run: bash scripts/install-ui-tools.sh)`;
  if (!existsSync(vsixPath())) return `VSIX not built (run: npm run package)`;
  return undefined;
}

export function vsixPath(): string {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  return join(repoRoot, `${pkg.name}-${pkg.version}.vsix`);
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolvePort(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface UiSession {
  readonly page: Page;
  readonly url: string;
  readonly workspace: string;
  screenshot(name: string): Promise<string>;
  /** Text of every visible tree row (label + description), in order. */
  treeRows(): Promise<string[]>;
  close(): Promise<void>;
}

export interface UiOptions {
  /** Folder to open; created empty when omitted. */
  workspace?: string;
  /** Extra user settings (merged over the test defaults). */
  settings?: Record<string, unknown>;
  /** Files to create in the workspace, relative path → content. */
  files?: Record<string, string>;
  viewport?: { width: number; height: number };
  /** Workspace trust: off (the default: every folder trusted), or on with this folder untrusted (Restricted Mode). */
  trust?: 'disabled' | 'untrusted';
}

export async function openVsCode(options: UiOptions = {}): Promise<UiSession> {
  const base = mkdtempSync(join(tmpdir(), 'pcx-ui-'));
  const userDataDir = join(base, 'user-data');
  const extensionsDir = join(base, 'extensions');
  const workspace = options.workspace ?? join(base, 'workspace');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(workspace, { recursive: true });
  for (const [rel, content] of Object.entries(options.files ?? {})) {
    const p = join(workspace, rel);
    mkdirSync(resolve(p, '..'), { recursive: true });
    writeFileSync(p, content);
  }
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'security.workspace.trust.enabled': options.trust === 'untrusted',
        'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.banner': 'always',
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'editor.minimap.enabled': false,
        'window.commandCenter': false,
        ...options.settings,
      },
      null,
      2,
    ),
  );
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  execFileSync(codeServerBin, [...common, '--install-extension', vsixPath()], { stdio: 'pipe', timeout: 60_000 });

  const port = await freePort();
  const server: ChildProcess = spawn(
    codeServerBin,
    [...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', ...(options.trust === 'untrusted' ? [] : ['--disable-workspace-trust']), workspace],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PCX_UI_TEST: '1' } },
  );
  let serverLog = '';
  server.stdout?.on('data', (d) => (serverLog += d));
  server.stderr?.on('data', (d) => (serverLog += d));
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 30_000, () => serverLog);

  const browser: Browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 } });
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
  await page.goto(url);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  mkdirSync(artifactsDir, { recursive: true });

  return {
    page,
    url,
    workspace,
    async screenshot(name) {
      const file = join(artifactsDir, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async treeRows() {
      return page.$$eval('.monaco-list-row', (rows) => rows.map((r) => (r as unknown as { innerText: string }).innerText.replace(/\s+/g, ' ').trim()));
    },
    async close() {
      await browser.close().catch(() => undefined);
      server.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      if (server.exitCode === null) server.kill('SIGKILL');
      rmSync(base, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }); // code-server may still be writing
    },
  };
}

async function waitForHttp(url: string, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms; its output:\n${log()}`);
}

/** Runs a command from the palette by its title, e.g. "Pacemaker: Refresh". */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible' });
  await page.keyboard.type(title);
  await page.waitForSelector(`.quick-input-list .monaco-list-row:has-text("${title.replace(/"/g, '\\"')}")`, { timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/**
 * Pick a visible context-menu entry. VS Code's menu ignores a mouse-up that comes too soon after it opened, and a
 * tree re-render can swallow the click: hover (which also highlights the entry), wait a moment, click; if the
 * menu is still open, Enter picks the highlighted entry. True once the menu has closed.
 */
export async function clickMenuEntry(page: Page, entry: Locator): Promise<boolean> {
  const menu = page.locator('.context-view .monaco-menu, .context-view .action-item').first();
  await entry.hover();
  await page.waitForTimeout(200);
  await entry.click();
  if (await menu.waitFor({ state: 'hidden', timeout: 1_500 }).then(() => true, () => false)) return true;
  await entry.hover();
  await page.keyboard.press('Enter');
  return menu.waitFor({ state: 'hidden', timeout: 1_500 }).then(() => true, () => false);
}

/** Right-click the tree row whose label is exactly `label` and pick `item` from its context menu (3 tries). */
export async function pickFromContextMenu(page: Page, label: string | RegExp, item: string): Promise<void> {
  const exact = typeof label === 'string' ? new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) : label;
  for (let tries = 1; ; tries++) {
    await page.keyboard.press('Escape');
    const row = page.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
    await row.click({ button: 'right' });
    const entry = page.locator('.context-view .action-item').filter({ hasText: new RegExp(`^${item.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) }).first();
    await entry.waitFor({ state: 'visible', timeout: 10_000 });
    if (await clickMenuEntry(page, entry)) return;
    if (tries >= 3) throw new Error(`the context menu of "${String(label)}" stayed open after 3 picks of "${item}"`);
  }
}
