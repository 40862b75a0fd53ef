// Keeps one bad message from taking a service down: the event handlers of the host's services (signaling,
// LAN discovery, HTTP, the blob exchange) are wrapped so an unexpected throw or rejection is caught,
// counted and logged once, and never reaches the emitter — for an EventEmitter without an 'error'
// listener, or an unhandled rejection in Node, that would end the whole process and every other service.

export interface FaultCounter {
  /** Faults caught so far, across every handler this counter guards. */
  readonly count: () => number;
  /**
   * `handler`, wrapped: a throw (or a rejection of the promise it returns) is caught and counted, and
   * `cleanUp` runs with the same arguments (e.g. to destroy a socket the handler left half-served).
   */
  guard<Args extends unknown[]>(
    where: string,
    handler: (...args: Args) => unknown,
    cleanUp?: (...args: Args) => void,
  ): (...args: Args) => void;
}

/**
 * One counter per service. Only the first fault is logged: a peer that found a way to make a handler
 * throw can repeat it thousands of times a second, and the log must not become the next thing it floods.
 */
export function createFaultCounter(service: string, log: (line: string) => void): FaultCounter {
  let faults = 0;
  const report = (where: string, error: unknown): void => {
    faults += 1;
    if (faults > 1) return;
    try {
      log(
        `${service}: an unexpected error in ${where} was caught, and the service keeps running (later ones are only counted): ${describe(error)}`,
      );
    } catch {
      // A log that cannot be written (a closed stdout) is no reason to stop serving.
    }
  };
  return {
    count: () => faults,
    guard(where, handler, cleanUp) {
      const fail = (error: unknown, args: Parameters<typeof handler>) => {
        report(where, error);
        try {
          cleanUp?.(...args);
        } catch (cleanUpError) {
          report(`${where} (clean-up)`, cleanUpError);
        }
      };
      return (...args) => {
        try {
          const result = handler(...args);
          if (isThenable(result)) result.then(undefined, (error: unknown) => fail(error, args));
        } catch (error) {
          fail(error, args);
        }
      };
    },
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function describe(error: unknown): string {
  try {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    return 'an error that cannot be described';
  }
}
