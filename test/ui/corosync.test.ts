// corosync.conf language support in a real VS Code (code-server in Chromium): diagnostics, completion, hover.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openVsCode, uiUnavailableReason, type UiSession } from './harness';

const skip = uiUnavailableReason();

const udpuWithCrypto = `totem {
    version: 2
    cluster_name: demo
    transport: udpu
    crypto_cipher: aes256
    crypto_hash: sha256
}

nodelist {
    node {
        ring0_addr: 10.213.0.11
        name: node1
        nodeid: 1
    }
    node {
        ring0_addr: 10.213.0.12
        name: node2
        nodeid: 2
    }
}

quorum {
    provider: corosync_votequorum
    wait_for_all: 0

}
`;

async function openFile(s: UiSession, name: string): Promise<void> {
  await s.page.keyboard.press('Control+P');
  await s.page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible' });
  await s.page.keyboard.type(name);
  await s.page.waitForSelector(`.quick-input-list .monaco-list-row:has-text("${name}")`, { timeout: 45_000 });
  await s.page.keyboard.press('Enter');
  await s.page.waitForSelector('.monaco-editor .view-lines', { timeout: 15_000 });
}

/** Puts the cursor at (line, column), both 1-based, with the Go to Line box. */
async function goTo(s: UiSession, line: number, column: number): Promise<void> {
  await s.page.keyboard.press('Control+G');
  await s.page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible' });
  await s.page.keyboard.type(`${line}:${column}`);
  await s.page.keyboard.press('Enter');
  await s.page.waitForTimeout(200);
}

test('corosync.conf: diagnostic, completion and hover in a real VS Code', { skip, timeout: 180_000 }, async () => {
  const s = await openVsCode({ files: { 'corosync.conf': udpuWithCrypto } });
  try {
    await openFile(s, 'corosync.conf');
    await s.page.waitForSelector('.monaco-editor .squiggly-error', { timeout: 20_000 });

    // The Problems panel names the crypto-on-udpu rule.
    await s.page.keyboard.press('Control+Shift+M');
    const problem = await s.page.waitForSelector('.markers-panel .monaco-list-row:has-text("Knet")', { timeout: 15_000 });
    assert.match(await problem.innerText(), /knet/i);
    await s.screenshot('corosync-diagnostics');

    // Completion inside quorum {} offers two_node.
    await s.page.keyboard.press('Escape');
    await goTo(s, 25, 5);
    await s.page.keyboard.press('Control+Space');
    const suggestion = await s.page.waitForSelector('.suggest-widget .monaco-list-row:has-text("two_node")', { timeout: 15_000 });
    assert.ok(suggestion);
    await s.screenshot('corosync-completion');
    await s.page.keyboard.press('Escape');

    // Hover on wait_for_all explains it.
    await goTo(s, 24, 7);
    await s.page.keyboard.press('Control+K');
    await s.page.keyboard.press('Control+I');
    const hover = await s.page.waitForSelector('.monaco-hover-content', { timeout: 15_000 });
    const hoverText = await hover.innerText();
    assert.match(hoverText, /wait_for_all/);
    assert.match(hoverText, /quorate|quorum/i);
    await s.page.waitForTimeout(600); // let the hover finish fading in before the screenshot
    await s.screenshot('corosync-hover');
  } finally {
    await s.close();
  }
});
