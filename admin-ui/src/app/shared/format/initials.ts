/** "Ana Lima" -> "AL", "ana@example.com" -> "A": for avatars. */
export function initials(name: string | null | undefined, email?: string | null): string {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length > 0) {
    const letters = words.length === 1 ? [words[0]] : [words[0], words[words.length - 1]];
    return letters.map((word) => Array.from(word)[0].toUpperCase()).join('');
  }
  const first = Array.from((email ?? '').trim())[0];
  return first ? first.toUpperCase() : '?';
}
