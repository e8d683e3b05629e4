// Loaded inside the extension host through PCX_TEST_HOOK (src/extension/testSeam.ts): writes the
// explorer's poll counters to $PCX_POLL_STATS_FILE every 500 ms for explorer.test.ts to read.
import { writeFileSync } from 'node:fs';
import { clearInterval, setInterval } from 'node:timers';

export function attach(probes) {
  const file = process.env.PCX_POLL_STATS_FILE;
  if (!file) return undefined;
  const timer = setInterval(() => {
    try {
      writeFileSync(file, JSON.stringify({ at: Date.now(), clusters: probes.pollStats() }));
    } catch {
      // the test reading it says what is missing
    }
  }, 500);
  return () => clearInterval(timer);
}
