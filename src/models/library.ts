// transformers.js is heavy (onnxruntime, tokenizers): imported on the first model load, never at
// start-up, so commands and servers without an in-process model start fast.
let library: Promise<unknown> | undefined;

/** The transformers.js module, imported once. Callers cast it to the structural view they use. */
export function importTransformers<T>(): Promise<T> {
  library ??= import('@huggingface/transformers').catch((err: unknown) => {
    library = undefined;
    throw err;
  });
  return library as Promise<T>;
}

/**
 * A load that runs once: concurrent callers share it, a failed load (network down, folder being
 * fixed) is reported to every waiting caller and retried by the next one.
 */
export class OnceLoader<T> {
  readonly #load: () => Promise<T>;
  #pending: Promise<T> | undefined;
  #loaded = false;

  constructor(load: () => Promise<T>) {
    this.#load = load;
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  get(): Promise<T> {
    this.#pending ??= this.#load().then(
      (value) => {
        this.#loaded = true;
        return value;
      },
      (err: unknown) => {
        this.#pending = undefined;
        throw err;
      },
    );
    return this.#pending;
  }

  /** Forgets the loaded value and hands it to `dispose` (when one was loaded). */
  async reset(dispose: (value: T) => Promise<unknown>): Promise<void> {
    const pending = this.#pending;
    this.#pending = undefined;
    this.#loaded = false;
    if (!pending) return;
    const value = await pending.then(
      (v) => ({ v }),
      () => undefined,
    );
    if (value) await dispose(value.v);
  }
}
