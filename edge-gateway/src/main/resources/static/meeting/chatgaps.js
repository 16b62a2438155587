// Which chat messages a page is missing after it joined again (pure; chat.js uses it, node tests cover it).
// The room numbers its messages 1, 2, 3, … without holes, so a hole between the lowest and highest seq a page holds
// is a message it has not got: typically one accepted while the page's socket was down that was not yet stored when
// the page read the history right after its new `joined`.

/** The seqs missing between the lowest and highest of `seqs` (any iterable of numbers), ascending, at most `max`. */
export function missingSeqs(seqs, max = 50) {
  const sorted = Array.from(seqs).filter(Number.isSafeInteger).sort((a, b) => a - b);
  const missing = [];
  for (let i = 1; i < sorted.length && missing.length < max; i++) {
    for (let s = sorted[i - 1] + 1; s < sorted[i] && missing.length < max; s++) missing.push(s);
  }
  return missing;
}

/** Delays (ms) of the history reads after a re-join: the first always, the later ones while something is missing. */
export const REFILL_DELAYS = [1000, 2000, 4000, 8000];

/** Whether to read the history again after attempt `attempt` (0-based) found `missing` seqs still missing. */
export function refillAgain(attempt, missing) {
  return missing.length > 0 && attempt + 1 < REFILL_DELAYS.length;
}
