// Model description data (the JSON format of ModelSpec, kept as a .ts module because tsconfig.sim.json
// compiles only .ts files: a .json import there fails with TS6307).
import type { ModelSpec } from '../spec'

export const resnet8Cifar10 = {
  "schemaVersion": 1,
  "name": "resnet8-cifar10",
  "description": "MLPerf Tiny image classification reference model: ResNet-8 (ResNet v1, three stacks of 16, 32, 64 filters) on 32×32 RGB CIFAR-10, with identity and 1×1 stride-2 projection shortcuts, 8×8 average pool, 10 classes. BatchNorm folded, softmax left to the loss.",
  "source": "MLCommons tiny, benchmark/training/image_classification/keras_model.py, resnet_v1_eembc() at commit bceb91c5ad2e2deb295547d81505721d3a87d578 (num_filters = 16; a later commit parameterises it as conv_filters=26 for other experiments).",
  "task": "classification",
  "input": { "shape": [32, 32, 3] },
  "layers": [
    {"type": "conv2d", "filters": 16, "kernel": [3, 3], "padding": "same", "activation": "relu", "id": "stem"},
    {"type": "conv2d", "filters": 16, "kernel": [3, 3], "padding": "same", "activation": "relu"},
    {"type": "conv2d", "filters": 16, "kernel": [3, 3], "padding": "same"},
    {"type": "add", "id": "stack1", "from": "stem", "activation": "relu"},
    {"type": "conv2d", "filters": 32, "kernel": [3, 3], "stride": [2, 2], "padding": "same", "activation": "relu"},
    {"type": "conv2d", "filters": 32, "kernel": [3, 3], "padding": "same"},
    {"type": "add", "id": "stack2", "from": "stack1", "activation": "relu", "shortcut": [
      {"type": "conv2d", "filters": 32, "kernel": [1, 1], "stride": [2, 2], "padding": "same"}
    ]},
    {"type": "conv2d", "filters": 64, "kernel": [3, 3], "stride": [2, 2], "padding": "same", "activation": "relu"},
    {"type": "conv2d", "filters": 64, "kernel": [3, 3], "padding": "same"},
    {"type": "add", "id": "stack3", "from": "stack2", "activation": "relu", "shortcut": [
      {"type": "conv2d", "filters": 64, "kernel": [1, 1], "stride": [2, 2], "padding": "same"}
    ]},
    {"type": "avgPool2d", "kernel": [8, 8]},
    {"type": "flatten"},
    {"type": "dense", "units": 10}
  ]
} satisfies ModelSpec
