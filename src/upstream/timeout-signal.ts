// A signal that aborts when its parent does or after `ms`, and is disposed when the work ends.
// AbortSignal.any + AbortSignal.timeout leave a timer per signal alive until it fires (the
// 300 s deadline and 120 s per-call timeout: hundreds of thousands of live timers and signals at
// a few hundred requests/s), and AbortSignal.any is among the costlier calls on the hot path.

import { setMaxListeners } from 'node:events';

export interface TimeoutSignal {
  readonly signal: AbortSignal;
  /** Clears the timer and unhooks from the parent; the signal stays as it is. */
  dispose(): void;
}

export function timeoutSignal(parent: AbortSignal, ms: number): TimeoutSignal {
  const controller = new AbortController();
  // A fan-out hangs one listener per call in flight on its deadline (16 by default, N in `n` mode):
  // they are removed as calls end, so Node's "possible leak" warning at 11 is noise on stderr.
  setMaxListeners(0, controller.signal);
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { signal: controller.signal, dispose: () => {} };
  }
  const onParent = () => {
    clearTimeout(timer);
    controller.abort(parent.reason);
  };
  const timer = setTimeout(() => {
    parent.removeEventListener('abort', onParent);
    // Same reason as AbortSignal.timeout, which error normalisation recognises.
    controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }, ms);
  parent.addEventListener('abort', onParent, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      parent.removeEventListener('abort', onParent);
    },
  };
}
