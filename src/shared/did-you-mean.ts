/**
 * "Did you mean" hints: the known words closest to what was typed, by edit distance (insertions,
 * deletions, substitutions and swaps of two neighbours), so `histroy`, `--timout` and `nc-fial` are found.
 */

/** Optimal string alignment distance: Levenshtein plus one step for two swapped neighbours. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i, ...new Array<number>(b.length).fill(0)]);
  const at = (i: number, j: number): number => (rows[i] as number[])[j] as number;
  for (let j = 0; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The known words that are plausibly what was meant, closest first (at most `max`): within a third of
 * the word's length in edits (at least 1, at most 3), or containing it / contained in it.
 */
export function closest(typed: string, known: readonly string[], max = 3): string[] {
  const word = typed.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  const scored: { name: string; score: number }[] = [];
  for (const name of known) {
    const other = name.toLowerCase();
    const distance = editDistance(word, other);
    const contains = word.length >= 3 && (other.includes(word) || word.includes(other));
    if (distance <= limit || contains) scored.push({ name, score: contains ? Math.min(distance, limit) : distance });
  }
  return scored.sort((x, y) => x.score - y.score || x.name.localeCompare(y.name)).slice(0, max).map((s) => s.name);
}

/** "; did you mean X?" / "; did you mean X, Y or Z?", or '' when nothing is close. */
export function didYouMean(typed: string, known: readonly string[], show: (word: string) => string = (w) => w): string {
  const found = closest(typed, known).map(show);
  if (found.length === 0) return '';
  const last = found.pop() as string;
  return `; did you mean ${found.length ? `${found.join(', ')} or ` : ''}${last}?`;
}
