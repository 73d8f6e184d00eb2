// "Did you mean": the closest known names to a mistyped one, for error messages.

export function closest(wanted: string, known: readonly string[], max = 3): string[] {
  return known
    .map((k) => ({ k, d: distance(wanted.toLowerCase(), k.toLowerCase()) }))
    .filter(({ k, d }) => d <= Math.max(2, Math.floor(k.length / 2)) || k.includes(wanted) || wanted.includes(k))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, max)
    .map(({ k }) => k);
}

/** " (closest: a, b)" or "" — appended to an "unknown X" message. */
export function didYouMean(wanted: string, known: readonly string[]): string {
  const near = closest(wanted, known);
  return near.length ? `; closest: ${near.join(', ')}` : known.length ? `; known: ${known.slice(0, 8).join(', ')}${known.length > 8 ? ', …' : ''}` : '';
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
