// The text of a failure for a message: its own message where it has one (an Error, a
// DOMException, an error of another frame), anything else as text.
export function message(e: unknown): string {
  return String((e as Error | null)?.message ?? e);
}
