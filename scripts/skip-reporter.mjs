// A node:test reporter that writes one JSON line per skipped test ({file, name, reason}), so
// run-tests.mjs can hold skips to the CI policy in scripts/skip-policy.mjs.
export default async function* skipReporter(source) {
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.skip !== undefined && event.data.skip !== false) {
      const reason = event.data.skip === true ? '' : String(event.data.skip);
      yield `${JSON.stringify({ file: event.data.file ?? '', name: event.data.name, reason })}\n`;
    }
  }
}
