// Where an in-process model comes from: a folder on disk or a Hugging Face hub id. One rule for
// every model run in this process (the reward scorer and the local LM).
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

export type ModelSource =
  | { readonly kind: 'dir'; readonly dir: string }
  | { readonly kind: 'hub'; readonly id: string };

/**
 * Whether a model setting names a folder (absolute, starting with `.`, or existing) rather than a
 * hub id. A folder is loaded by its absolute path: a relative `org/name`-looking path would otherwise
 * be resolved under transformers.js's own models folder.
 */
export function isModelPath(model: string): boolean {
  return isAbsolute(model) || model.startsWith('.') || existsSync(model);
}

export function modelSource(model: string): ModelSource {
  return isModelPath(model) ? { kind: 'dir', dir: resolve(model) } : { kind: 'hub', id: model };
}
