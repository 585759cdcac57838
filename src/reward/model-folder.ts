// Start-up validation of a local model folder. transformers.js reports a missing folder as
// "Cannot read properties of undefined (reading 'tokenizer_class')" at the first request; we
// report the path and the missing file before the server takes traffic.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { BomError } from '../errors.ts';

export type Dtype = 'fp32' | 'q8';

/** transformers.js file suffixes (src/utils/dtypes.js): q8 -> onnx/model_quantized.onnx. */
export const DTYPE_FILE: Readonly<Record<Dtype, string>> = {
  fp32: 'onnx/model.onnx',
  q8: 'onnx/model_quantized.onnx',
};

export type ModelSource = { kind: 'dir'; dir: string } | { kind: 'hub'; id: string };

function modelError(message: string, cause?: unknown): BomError {
  return new BomError(message, {
    code: 'reward_model_invalid',
    type: 'server_error',
    status: 500,
    param: 'reward.model',
    cause,
  });
}

/**
 * A path (absolute, starting with `.`, or an existing directory) is loaded from disk as an absolute
 * path — a relative `org/name`-looking path would otherwise be resolved under transformers.js's
 * own models folder. Anything else is a hub id, allowed only with remote loading on.
 */
export function resolveModelSource(model: string, allowRemote: boolean): ModelSource {
  if (isModelPath(model)) return { kind: 'dir', dir: resolve(model) };
  if (!allowRemote) {
    throw modelError(
      `reward model "${model}" is not an existing folder (resolved: ${resolve(model)}), and loading from the Hugging Face hub is off (reward.allowRemote=false)`,
    );
  }
  return { kind: 'hub', id: model };
}

/**
 * Whether a model setting names a folder (absolute, starting with `.`, or existing) rather than a hub id.
 * Shared by every in-process model: reward models and the local LM.
 */
export function isModelPath(model: string): boolean {
  return isAbsolute(model) || model.startsWith('.') || existsSync(model);
}

export interface ModelConfigJson {
  model_type?: string;
  architectures?: string[];
  id2label?: Record<string, string>;
  num_labels?: number;
  max_position_embeddings?: number;
  [k: string]: unknown;
}

/** Checks the files transformers.js will read and returns the parsed config.json. */
export function validateModelFolder(dir: string, dtype: Dtype): ModelConfigJson {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw modelError(`reward model folder not found: ${dir}`);
  for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', DTYPE_FILE[dtype]]) {
    if (!existsSync(join(dir, file))) {
      const hint = file.startsWith('onnx/')
        ? ` (dtype ${dtype}; export or quantize that variant, or change dtype)`
        : '';
      throw modelError(`reward model folder ${dir} is missing ${file}${hint}`);
    }
  }
  let config: ModelConfigJson;
  try {
    config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as ModelConfigJson;
  } catch (err) {
    throw modelError(`reward model folder ${dir}: config.json is not valid JSON`, err);
  }
  const labels = config.num_labels ?? (config.id2label ? Object.keys(config.id2label).length : 1);
  if (labels !== 1) {
    throw modelError(
      `reward model ${dir} has ${labels} labels; a reward model has a 1-label head (config.json id2label)`,
    );
  }
  return config;
}
