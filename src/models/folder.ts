// Start-up validation of a model folder. transformers.js reports a missing folder as
// "Cannot read properties of undefined (reading 'tokenizer_class')" at the first request; we name the
// path and the missing file before the server takes traffic.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BomError } from '../core/index.ts';
import { type ModelSource, modelSource } from './source.ts';

/** The ONNX variants transformers.js 4 loads by `dtype`. */
export const MODEL_DTYPES = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] as const;
export type ModelDtype = (typeof MODEL_DTYPES)[number];

/** transformers.js file suffixes (its utils/dtypes.js): q8 → onnx/model_quantized.onnx. */
const DTYPE_SUFFIX: Readonly<Record<ModelDtype, string>> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
};

export function onnxFile(dtype: ModelDtype): string {
  return `onnx/model${DTYPE_SUFFIX[dtype]}.onnx`;
}

export interface ModelConfigJson {
  model_type?: string;
  architectures?: string[];
  id2label?: Record<string, string>;
  num_labels?: number;
  max_position_embeddings?: number;
  [k: string]: unknown;
}

/** What a model is for, so its errors carry the right code, setting and way out. */
export interface ModelRole {
  /** `reward model`, `local model`: starts every message. */
  readonly label: string;
  /** Builds the error (code, status and param differ per role). */
  readonly error: (message: string, cause?: unknown) => BomError;
  /** Said when a hub id is given but downloads are off: how to get unstuck. */
  readonly offlineHint: string;
}

export interface ModelSpec {
  readonly model: string;
  readonly dtype: ModelDtype;
  /** Whether a hub id may be downloaded. */
  readonly allowRemote: boolean;
}

/**
 * Resolves and checks a model setting without loading anything: a folder must hold config.json,
 * the tokenizer files and the ONNX file of the dtype (its parsed config.json is returned); a hub id
 * needs downloads on. Throws the role's error naming the path and the missing file.
 */
export function checkModel(
  spec: ModelSpec,
  role: ModelRole,
): { source: ModelSource; config: ModelConfigJson | undefined } {
  const source = modelSource(spec.model);
  if (source.kind === 'hub') {
    if (!spec.allowRemote) {
      throw role.error(
        `${role.label} "${spec.model}" is not an existing folder (resolved: ${resolve(spec.model)}) and downloads from the Hugging Face hub are off; ${role.offlineHint}`,
      );
    }
    return { source, config: undefined };
  }
  const dir = source.dir;
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw role.error(`${role.label} folder not found: ${dir}`);
  for (const file of ['config.json', 'tokenizer.json', 'tokenizer_config.json', onnxFile(spec.dtype)]) {
    if (!existsSync(join(dir, file))) {
      const hint = file.startsWith('onnx/')
        ? ` (dtype ${spec.dtype}; export or quantize that variant, or change dtype)`
        : '';
      throw role.error(`${role.label} folder ${dir} is missing ${file}${hint}`);
    }
  }
  try {
    return { source, config: JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as ModelConfigJson };
  } catch (err) {
    throw role.error(`${role.label} folder ${dir}: config.json is not valid JSON`, err);
  }
}
