/**
 * Above this many genres a matrix of genre × genre (the confusion matrix, the clip table) would be
 * too large to read and, at a thousand genres, a million elements that froze the tab:
 * the views show summaries instead (the most confused pairs, the top genres).
 */
export const MAX_MATRIX_GENRES = 30;

/** "blues, jazz, rock" or "blues, jazz, … and 988 more": a list of names kept to one line. */
export function briefList(names: readonly string[], shown = 10): string {
  return names.length > shown ? `${names.slice(0, shown).join(', ')} and ${names.length - shown} more` : names.join(', ');
}
