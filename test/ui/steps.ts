/** Steps the explorer's UI tests share: the tree's rows, waiting for them, the modal dialog's text. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { STATE_DIR } from '../cluster/helpers';
import { uiUnavailableReason, type UiSession } from './harness';

/** Why a UI test against the test cluster cannot run here, if it cannot. */
export function clusterUiSkipReason(): string | undefined {
  const sshConfig = join(STATE_DIR, 'ssh_config');
  return uiUnavailableReason() ?? (existsSync(sshConfig) ? undefined : `test cluster not set up (${sshConfig} missing: bash test/cluster/cluster.sh up seed)`);
}

/** Rows as "label description". */
export async function rowsOf(page: Page): Promise<string[]> {
  return page.$$eval('.monaco-list-row', (rows) =>
    rows.map((r) => {
      const el = r as unknown as { querySelector(s: string): { textContent: string | null } | null; innerText: string };
      return `${el.querySelector('.label-name')?.textContent ?? el.innerText} ${el.querySelector('.label-description')?.textContent ?? ''}`.replace(/\s+/g, ' ').trim();
    }),
  );
}

export async function waitForRows(ui: UiSession, pred: (rows: string[]) => boolean, timeoutMs: number, what: string): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let rows: string[] = [];
  while (Date.now() < deadline) {
    rows = await rowsOf(ui.page);
    if (pred(rows)) return rows;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; rows:\n  ${rows.join('\n  ')}`);
}

export const has = (rows: string[], re: RegExp): boolean => rows.some((r) => re.test(r));

/** The text of the modal dialog once it shows (a preview may take a while to compute). */
export async function dialogText(page: Page): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible', timeout: 60_000 });
  return (await dialog.innerText()).replace(/\u00a0/g, ' ');
}
