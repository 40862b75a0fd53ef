// One Hearth window per browser profile at a time. Two windows would each keep their own copy of a
// community and compact the shared log, and one's compaction can delete rows the other wrote: a
// change made in one window could be lost. A Web Lock held for the window's life makes the second
// window say so instead of running.
const LOCK_NAME = 'hearth-window';

/** Resolves true when this window holds the lock (kept until the window closes), false if another has it. */
export function claimSingleWindow(): Promise<boolean> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  // Without Web Locks (very old engines) nothing can be checked; run rather than refuse.
  if (!locks) return Promise.resolve(true);
  return new Promise((resolve) => {
    void locks.request(LOCK_NAME, { ifAvailable: true }, (lock) => {
      resolve(lock !== null);
      // Held until the page goes away: a promise that never settles keeps the lock.
      return lock ? new Promise<void>(() => {}) : undefined;
    });
  });
}
