// Random-weight BERT-type encoders at real sizes, for timing only (scores are meaningless).
// Same inputs as a real export (input_ids, attention_mask, token_type_ids -> logits [B,1]), the
// same matmul work per layer (QKV, attention, output, FFN), written with onnx-proto.
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  FLOAT,
  INT64,
  encodeModel,
  floatTensor,
  int64Tensor,
  node,
  valueInfo,
} from '../test/fixtures/onnx-build.ts';
import type { onnx as O } from 'onnx-proto';

export interface Shape {
  name: string;
  layers: number;
  hidden: number;
  heads: number;
  ffn: number;
}

export const SHAPES: Shape[] = [
  { name: 'minilm-l6-h384', layers: 6, hidden: 384, heads: 12, ffn: 1536 },
  { name: 'bert-base', layers: 12, hidden: 768, heads: 12, ffn: 3072 },
  { name: 'bert-large', layers: 24, hidden: 1024, heads: 16, ffn: 4096 },
];

/** Non-embedding parameters: what the per-token compute scales with (2 FLOPs per parameter per token). */
export function paramCount(s: Shape): number {
  return s.layers * (4 * s.hidden * s.hidden + 2 * s.hidden * s.ffn);
}

let seed = 12345;
function random(n: number, scale: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    // xorshift32: fast, deterministic
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    a[i] = ((seed >>> 0) / 4294967296 - 0.5) * 2 * scale;
  }
  return a;
}

export function buildShapeGraph(s: Shape, vocabSize: number): Uint8Array {
  const H = s.hidden;
  const dh = H / s.heads;
  const init: O.ITensorProto[] = [
    floatTensor('word_emb', [vocabSize, H], random(vocabSize * H, 0.02)),
    floatTensor('type_emb', [2, H], random(2 * H, 0.02)),
    floatTensor('ln_g', [H], new Float32Array(H).fill(1)),
    floatTensor('ln_b', [H], new Float32Array(H)),
    floatTensor('neg', [], [-10000]),
    floatTensor('one_f', [], [1]),
    floatTensor('inv_sqrt_dh', [], [1 / Math.sqrt(dh)]),
    int64Tensor('axes12', [2], [1, 2]),
    int64Tensor('split_shape', [4], [0, 0, s.heads, dh]),
    int64Tensor('merge_shape', [3], [0, 0, H]),
    int64Tensor('idx0', [], [0]),
    floatTensor('w_cls', [H, 1], random(H, 0.02)),
  ];
  const nodes: O.INodeProto[] = [
    node('Gather', ['word_emb', 'input_ids'], ['we']),
    node('Gather', ['type_emb', 'token_type_ids'], ['te']),
    node('Add', ['we', 'te'], ['emb']),
    node('LayerNormalization', ['emb', 'ln_g', 'ln_b'], ['x0'], { axis: -1, epsilon: 1e-12 }),
    node('Cast', ['attention_mask'], ['mf'], { to: FLOAT }),
    node('Sub', ['one_f', 'mf'], ['inv_m']),
    node('Mul', ['inv_m', 'neg'], ['mbias2']),
    node('Unsqueeze', ['mbias2', 'axes12'], ['mbias']),
  ];
  let x = 'x0';
  for (let l = 0; l < s.layers; l++) {
    const p = (n: string) => `l${l}_${n}`;
    for (const w of ['q', 'k', 'v', 'o']) init.push(floatTensor(p(`w${w}`), [H, H], random(H * H, 0.05)));
    init.push(floatTensor(p('w1'), [H, s.ffn], random(H * s.ffn, 0.05)));
    init.push(floatTensor(p('w2'), [s.ffn, H], random(s.ffn * H, 0.05)));
    for (const w of ['q', 'k', 'v']) {
      nodes.push(
        node('MatMul', [x, p(`w${w}`)], [p(`${w}_`)]),
        node('Reshape', [p(`${w}_`), 'split_shape'], [p(`${w}_r`)]),
        node('Transpose', [p(`${w}_r`)], [p(w)], { perm: w === 'k' ? [0, 2, 3, 1] : [0, 2, 1, 3] }),
      );
    }
    nodes.push(
      node('MatMul', [p('q'), p('k')], [p('s_raw')]),
      node('Mul', [p('s_raw'), 'inv_sqrt_dh'], [p('s_scaled')]),
      node('Add', [p('s_scaled'), 'mbias'], [p('s')]),
      node('Softmax', [p('s')], [p('a')], { axis: -1 }),
      node('MatMul', [p('a'), p('v')], [p('ctx_h')]),
      node('Transpose', [p('ctx_h')], [p('ctx_t')], { perm: [0, 2, 1, 3] }),
      node('Reshape', [p('ctx_t'), 'merge_shape'], [p('ctx')]),
      node('MatMul', [p('ctx'), p('wo')], [p('o')]),
      node('Add', [x, p('o')], [p('r1')]),
      node('LayerNormalization', [p('r1'), 'ln_g', 'ln_b'], [p('h1')], { axis: -1, epsilon: 1e-12 }),
      node('MatMul', [p('h1'), p('w1')], [p('f1')]),
      node('Relu', [p('f1')], [p('f1a')]),
      node('MatMul', [p('f1a'), p('w2')], [p('f2')]),
      node('Add', [p('h1'), p('f2')], [p('r2')]),
      node('LayerNormalization', [p('r2'), 'ln_g', 'ln_b'], [p('out')], { axis: -1, epsilon: 1e-12 }),
    );
    x = p('out');
  }
  nodes.push(node('Gather', [x, 'idx0'], ['cls'], { axis: 1 }), node('MatMul', ['cls', 'w_cls'], ['logits']));
  return encodeModel({
    name: s.name,
    inputs: [
      valueInfo('input_ids', INT64, ['batch_size', 'sequence_length']),
      valueInfo('attention_mask', INT64, ['batch_size', 'sequence_length']),
      valueInfo('token_type_ids', INT64, ['batch_size', 'sequence_length']),
    ],
    outputs: [valueInfo('logits', FLOAT, ['batch_size', 1])],
    nodes,
    initializers: init,
  });
}

/** A model folder: the tiny model's tokenizer + config, with a random-weight graph of the shape. */
export function buildShapeFolder(s: Shape, tinyBertDir: string, outRoot: string, vocabSize: number): string {
  const dir = join(outRoot, s.name);
  if (existsSync(join(dir, 'onnx', 'model.onnx'))) return dir;
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  for (const f of ['tokenizer.json', 'tokenizer_config.json', 'config.json'])
    cpSync(join(tinyBertDir, f), join(dir, f));
  writeFileSync(join(dir, 'onnx', 'model.onnx'), buildShapeGraph(s, vocabSize));
  return dir;
}
