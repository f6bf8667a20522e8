// Model description data (the JSON format of ModelSpec, kept as a .ts module because tsconfig.sim.json
// compiles only .ts files: a .json import there fails with TS6307).
import type { ModelSpec } from '../spec'

export const mobilenetv1Vww = {
  "schemaVersion": 1,
  "name": "mobilenetv1-vww",
  "description": "MLPerf Tiny visual wake words reference model: MobileNetV1 with width multiplier 0.25 on 96×96 RGB, 13 depthwise-separable blocks, average pool over the final 3×3 map, person / no person. BatchNorm folded, ReLU (not ReLU6) as in the reference, softmax left to the loss.",
  "source": "MLCommons tiny, benchmark/training/visual_wake_words/vww_model.py, mobilenet_v1() (itself from SiliconLabs platform_ml_models eembc/Person_detection/mobilenet_v1_eembc.py; read from the fork ChoCho66/tiny at 223e6610ad0a151b1d909aa30d48f2e1366d5dac).",
  "task": "classification",
  "input": { "shape": [96, 96, 3] },
  "layers": [
    {"type": "conv2d", "filters": 8, "kernel": [3, 3], "stride": [2, 2], "padding": "same", "activation": "relu"},
    {"type": "depthwiseConv2d", "kernel": [3, 3], "padding": "same", "activation": "relu"},
    {"type": "conv2d", "filters": 16, "kernel": [1, 1], "padding": "same", "activation": "relu"},
    {"type": "depthwiseConv2d", "kernel": [3, 3], "stride": [2, 2], "padding": "same", "activation": "relu"},
    {"type": "conv2d", "filters": 32, "kernel": [1, 1], "padding": "same", "activation": "relu"},
    {"type": "depthwiseConv2d", "kernel": [3, 3], "padding": "same", "activation": "relu"},
    {"type": "conv2d", "filters": 32, "kernel": [1, 1], "padding": "same", "activation": "relu"},
    {"type": "depthwiseConv2d", "kernel": [3, 3], "stride": [2, 2], "padding": "same", "activation": "relu"},
    {"type": "conv2d", "filters": 64, "kernel": [1, 1], "padding": "same", "activation": "relu"},
    {"type": "depthwiseConv2d", "kernel": [3, 3], "padding": "same", "activation": "relu"},
    {"type": "conv2d", "filters": 64, "kernel": [1, 1], "padding": "same", "activation": "relu"},
    {"type": "depthwiseConv2d", "kernel": [3, 3], "stride": [2, 2], "padding": "same", "activation": "relu"},
    {"type": "conv2d", "filters": 128, "kernel": [1, 1], "padding": "same", "activation": "relu"},
    {"type": "depthwiseConv2d", "kernel": [3, 3], "padding": "same", "activation": "relu"},
    {"type": "conv2d", "filters": 128, "kernel": [1, 1], "padding": "same", "activation": "relu"},
    {"type": "depthwiseConv2d", "kernel": [3, 3], "padding": "same", "activation": "relu"},
    {"type": "conv2d", "filters": 128, "kernel": [1, 1], "padding": "same", "activation": "relu"},
    {"type": "depthwiseConv2d", "kernel": [3, 3], "padding": "same", "activation": "relu"},
    {"type": "conv2d", "filters": 128, "kernel": [1, 1], "padding": "same", "activation": "relu"},
    {"type": "depthwiseConv2d", "kernel": [3, 3], "padding": "same", "activation": "relu"},
    {"type": "conv2d", "filters": 128, "kernel": [1, 1], "padding": "same", "activation": "relu"},
    {"type": "depthwiseConv2d", "kernel": [3, 3], "padding": "same", "activation": "relu"},
    {"type": "conv2d", "filters": 128, "kernel": [1, 1], "padding": "same", "activation": "relu"},
    {"type": "depthwiseConv2d", "kernel": [3, 3], "stride": [2, 2], "padding": "same", "activation": "relu"},
    {"type": "conv2d", "filters": 256, "kernel": [1, 1], "padding": "same", "activation": "relu"},
    {"type": "depthwiseConv2d", "kernel": [3, 3], "padding": "same", "activation": "relu"},
    {"type": "conv2d", "filters": 256, "kernel": [1, 1], "padding": "same", "activation": "relu"},
    {"type": "avgPool2d", "kernel": [3, 3]},
    {"type": "flatten"},
    {"type": "dense", "units": 2}
  ]
} satisfies ModelSpec
