// The text of a failure for a message: an Error's own message, anything else as text.
export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
