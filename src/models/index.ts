// In-process transformers.js models (the reward scorer and the local LM): where a model comes from,
// the start-up check of its folder, the lazy library import, the load-once helper and the CPU queue
// every model takes turns on.
export { SerialQueue, cpuQueue } from './cpu-queue.ts';
export {
  checkModel,
  MODEL_DTYPES,
  type ModelConfigJson,
  type ModelDtype,
  type ModelRole,
  type ModelSpec,
  onnxFile,
} from './folder.ts';
export { importTransformers, OnceLoader } from './library.ts';
export { isModelPath, type ModelSource, modelSource } from './source.ts';
