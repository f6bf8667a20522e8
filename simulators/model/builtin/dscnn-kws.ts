// Model description data (the JSON format of ModelSpec, kept as a .ts module because tsconfig.sim.json
// compiles only .ts files: a .json import there fails with TS6307).
import type { ModelSpec } from '../spec'

export const dscnnKws = {
  "schemaVersion": 1,
  "name": "dscnn-kws",
  "description": "MLPerf Tiny keyword spotting reference model (DS-CNN): 49×10 MFCC input, 10×4 stride-2 conv with 64 filters, four depthwise-separable blocks of 64 channels, average pool, 12 classes. BatchNorm folded into the convolutions, dropout omitted (inference no-op), softmax left to the loss.",
  "source": "MLCommons tiny, benchmark/training/keyword_spotting/keras_model.py, get_model() branch 'ds_cnn' (read from the fork ChoCho66/tiny at 223e6610ad0a151b1d909aa30d48f2e1366d5dac; the mlcommons/tiny copy was not in the index). Average pool is (int(49/2), int(10/2)) = 24×5 with Keras's default 'valid' padding and stride = pool size, faithfully including that it ignores the 25th row of the 25×5 map.",
  "task": "classification",
  "input": { "shape": [49, 10, 1] },
  "layers": [
    {"type": "conv2d", "filters": 64, "kernel": [10, 4], "stride": [2, 2], "padding": "same", "activation": "relu"},
    {"type": "depthwiseConv2d", "kernel": [3, 3], "padding": "same", "activation": "relu"},
    {"type": "conv2d", "filters": 64, "kernel": [1, 1], "padding": "same", "activation": "relu"},
    {"type": "depthwiseConv2d", "kernel": [3, 3], "padding": "same", "activation": "relu"},
    {"type": "conv2d", "filters": 64, "kernel": [1, 1], "padding": "same", "activation": "relu"},
    {"type": "depthwiseConv2d", "kernel": [3, 3], "padding": "same", "activation": "relu"},
    {"type": "conv2d", "filters": 64, "kernel": [1, 1], "padding": "same", "activation": "relu"},
    {"type": "depthwiseConv2d", "kernel": [3, 3], "padding": "same", "activation": "relu"},
    {"type": "conv2d", "filters": 64, "kernel": [1, 1], "padding": "same", "activation": "relu"},
    {"type": "avgPool2d", "kernel": [24, 5]},
    {"type": "flatten"},
    {"type": "dense", "units": 12}
  ]
} satisfies ModelSpec
