// Shared by the terminal-text tests (unit and real cluster): a hostile value and the check that output is printable.
import assert from 'node:assert/strict';

/** From the issue: set the title, clear the screen, paint a fake verdict; plus C1 CSI, CR, OSC 8 link, bidi override. */
export const HOSTILE_TERMINAL = 'x\u001b]0;owned\u0007\u001b[2J\u001b[31mFAKE: cluster healthy\u001b[0m\u009b2J\r\u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\\u202eevil';

/** Nothing a terminal would act on: no C0 but LF/TAB, no DEL, no C1, no bidi control. */
export function assertPrintable(out: string, where: string): void {
  // eslint-disable-next-line no-control-regex
  const bad = out.match(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  assert.equal(bad, null, `${where}: a control character ${JSON.stringify(bad?.[0])} reaches the terminal at ${bad?.index}:\n${JSON.stringify(out.slice(Math.max(0, (bad?.index ?? 0) - 60), (bad?.index ?? 0) + 60))}`);
}
