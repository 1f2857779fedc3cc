/** Names from a model file as they go into messages: one line each, whatever bytes the file holds. */

const isControl = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
};

/**
 * `name` with control characters (a newline, say) written as JSON escapes, so every message that quotes it stays one
 * line. Applied to every name the reader takes, so references between nodes still match.
 */
export function printableName(name: string): string {
  return isControl(name) ? JSON.stringify(name).slice(1, -1) : name;
}
