/**
 * Whether a person is being asked something right now (a key's passphrase, an unknown host key). Deadlines that
 * measure the network or a node must not run meanwhile: the handshake's connect deadline stops (handshake.ts), and a
 * hedged read does not ask the next node because the first one waits for someone typing (cluster/hedge.ts) — that
 * would put a second prompt, for another node, under the first.
 */
let asking = 0;
const waiters: (() => void)[] = [];

/** Runs `ask` counted as a question to a person. */
export async function askingPerson<T>(ask: () => Promise<T> | T): Promise<T> {
  asking++;
  try {
    return await ask();
  } finally {
    if (--asking === 0) for (const w of waiters.splice(0)) w();
  }
}

export function isAskingPerson(): boolean {
  return asking > 0;
}

/** Resolves once no question to a person is open (at once when none is). */
export function noneAsked(): Promise<void> {
  return asking === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
}
