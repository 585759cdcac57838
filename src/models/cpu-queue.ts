// One CPU, one model at a time: concurrent requests must take turns, or ORT's threads thrash and every
// request gets slower (on these 2-vCPU machines, about one core of compute, two 1-thread sessions at
// once ran at 3.7 texts/s each against 7.9 alone: no gain, longer latency for both). A FIFO of jobs,
// one running at a time; a job whose signal aborts while it waits leaves the queue without running.
import { abortError } from '../core/index.ts';

interface Job {
  run: () => void;
}

export class SerialQueue {
  #running = false;
  readonly #waiting: Job[] = [];

  /** Jobs waiting (not counting the running one): a gauge for metrics. */
  get pending(): number {
    return this.#waiting.length;
  }

  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError(signal));
        return;
      }
      const job: Job = {
        run: () => {
          signal?.removeEventListener('abort', onAbort);
          fn()
            .then(resolve, reject)
            .finally(() => this.#next());
        },
      };
      const onAbort = () => {
        const i = this.#waiting.indexOf(job);
        if (i >= 0) {
          this.#waiting.splice(i, 1);
          reject(abortError(signal!));
        }
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(job);
      if (!this.#running) this.#next();
    });
  }

  #next(): void {
    const job = this.#waiting.shift();
    this.#running = job !== undefined;
    job?.run();
  }
}

/** One queue for every model run in this process: they share the CPU and must take turns. */
export const cpuQueue = new SerialQueue();
