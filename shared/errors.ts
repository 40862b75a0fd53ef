// What to tell a person when something failed: the message of an Error, or the thrown value itself.
// One rule for every layer (renderer, shell, headless peer), so a failure reads the same wherever it
// is shown.

/** The text of a caught value: an Error's message, anything else as a string. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
