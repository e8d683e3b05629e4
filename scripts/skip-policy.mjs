// In CI (CI=true) a skipped test is a failure: CI installs everything the suites need, so a skip
// there means a test silently did not run. The only exceptions are the reasons below, each with
// why CI cannot provide what the test needs. Keep this list short; docs/testing.md explains it.
export const CI_ALLOWED_SKIPS = [
  {
    reason: /^@vscode\/test-electron\b/,
    why: 'the Electron-based harness (npm run test:vscode) downloads a VS Code build; CI has no network for it and runs the same checks in code-server (test/ui)',
  },
];

/** The skips CI must fail on, with a line saying which test and why it skipped. */
export function disallowedSkips(skips, allowed = CI_ALLOWED_SKIPS) {
  return skips.filter((s) => !allowed.some((a) => a.reason.test(s.reason)));
}

export function describeSkip(s, root = '') {
  const file = s.file.startsWith('file://') ? new URL(s.file).pathname : s.file;
  return `${root && file.startsWith(root) ? file.slice(root.length) : file} › ${s.name}: ${s.reason || '(no reason given)'}`;
}
