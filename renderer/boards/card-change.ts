// Running one of a card's commands from its dialog: the refusal shows in words beside the field, and
// clears on the next change that works.
import { errorMessage } from '../../shared/errors.js';

/** True when the change went through. */
export function run(change: () => void, setError: (message: string | null) => void): boolean {
  try {
    change();
    setError(null);
    return true;
  } catch (error) {
    setError(errorMessage(error));
    return false;
  }
}
