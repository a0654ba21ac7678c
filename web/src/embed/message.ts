// The text of a failure for a message: its own message where it has one (an Error, a
// DOMException, an error of another frame), anything else as text; never throws (a value that
// cannot be made text, such as Object.create(null) thrown by a page's getter, is named by its
// type), since reporting a failure must not fail into the host page.
export function message(e: unknown): string {
  try {
    return String((e as Error | null)?.message ?? e);
  } catch {
    return typeof e;
  }
}
