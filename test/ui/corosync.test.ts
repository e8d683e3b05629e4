// corosync.conf language support in a real VS Code (code-server in Chromium): diagnostics, completion, hover,
// a quick fix applied from the light bulb menu, and Format Document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openVsCode, runCommand, uiUnavailableReason, type UiSession } from './harness';

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

/** The active editor's text as shown (Monaco renders spaces as no-break spaces). */
async function editorText(s: UiSession): Promise<string> {
  return (await s.page.locator('.part.editor .monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}

async function waitForEditorText(s: UiSession, re: RegExp, what: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  let text = '';
  while (Date.now() < deadline) {
    text = await editorText(s);
    if (re.test(text)) return text;
    await s.page.waitForTimeout(200);
  }
  throw new Error(`waited 15 s for ${what}; the editor shows:\n${text}`);
}

const messy = 'totem{\n\tversion:2\n  cluster_name :  demo\n}\nquorum {\n\n provider: corosync_votequorum\n\n}\n';

/** Puts the cursor at (line, column), both 1-based, with the Go to Line box. */
async function goTo(s: UiSession, line: number, column: number): Promise<void> {
  await s.page.keyboard.press('Control+G');
  await s.page.waitForSelector('.quick-input-widget .quick-input-box input', { state: 'visible' });
  await s.page.keyboard.type(`${line}:${column}`);
  await s.page.keyboard.press('Enter');
  await s.page.waitForTimeout(200);
}

test('corosync.conf: diagnostic, completion, hover, quick fix and formatting in a real VS Code', { skip, timeout: 240_000 }, async () => {
  const s = await openVsCode({ files: { 'corosync.conf': udpuWithCrypto, 'messy.corosync.conf': messy } });
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

    // Quick fix from the light bulb menu on crypto_cipher: "Change transport to knet" edits the file, the error goes.
    await s.page.keyboard.press('Escape');
    await goTo(s, 5, 5);
    await s.page.keyboard.press('Control+.');
    const fix = s.page.locator('.action-widget .monaco-list-row, .context-view .action-item').filter({ hasText: 'Change transport to knet' }).first();
    await fix.waitFor({ state: 'visible', timeout: 15_000 });
    await s.screenshot('corosync-quick-fix');
    // The menu's pointer block intercepts the mouse: move the focus to the entry with the keyboard, Enter applies it.
    const focused = s.page.locator('.action-widget .monaco-list-row.focused');
    for (let i = 0; i < 5 && (await focused.getAttribute('aria-label').catch(() => null)) !== 'Change transport to knet'; i++) await s.page.keyboard.press('ArrowDown');
    assert.equal(await focused.getAttribute('aria-label'), 'Change transport to knet');
    await s.page.keyboard.press('Enter');
    const fixed = await waitForEditorText(s, /transport: knet/, 'the quick fix to change the transport');
    assert.doesNotMatch(fixed, /transport: udpu/);
    const knetProblems = s.page.locator('.markers-panel .monaco-list-row', { hasText: 'Knet' });
    for (let i = 0; i < 50 && (await knetProblems.count()) > 0; i++) await s.page.waitForTimeout(200);
    assert.equal(await knetProblems.count(), 0, 'the crypto-on-udpu problem is gone after the fix');

    // Format Document on a messily written file: pcs layout, as formatCorosync writes it.
    await openFile(s, 'messy.corosync.conf');
    await runCommand(s.page, 'Format Document');
    // The indent is the editor's (VS Code detects 2 spaces from this file and passes it to the formatter);
    // the rendered lines do not show blank ones, so compare the non-empty lines.
    const formatted = await waitForEditorText(s, /^totem \{\n +version: 2\n/, 'Format Document');
    const lines = formatted.split('\n').filter((l) => l.trim() !== '');
    assert.deepEqual(lines.map((l) => l.trim()), ['totem {', 'version: 2', 'cluster_name: demo', '}', 'quorum {', 'provider: corosync_votequorum', '}']);
    const indents = new Set(lines.filter((l) => /^\s/.test(l)).map((l) => /^\s+/.exec(l)![0]));
    assert.equal(indents.size, 1, `one indent for every key: ${[...indents].map((i) => JSON.stringify(i)).join(', ')}`);
    await s.screenshot('corosync-formatted');
  } finally {
    await s.close();
  }
});
