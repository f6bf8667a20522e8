// Model description data (the JSON format of ModelSpec, kept as a .ts module because tsconfig.sim.json
// compiles only .ts files: a .json import there fails with TS6307).
import type { ModelSpec } from '../spec'

export const dscnnMnist = {
  "schemaVersion": 1,
  "name": "dscnn-mnist",
  "description": "Depthwise-separable CNN for 28×28 greyscale digits: a 3×3 stride-2 conv, two depthwise 3×3 + pointwise 1×1 blocks (16, then 32 channels; the second strided), global average pool, dense classifier. Exercises the depthwise kernels at MNIST scale.",
  "source": "Lastmile Studio: a miniature of the MobileNetV1 / DS-CNN block structure, chosen for this project (no external reference).",
  "task": "classification",
  "input": { "shape": [28, 28, 1] },
  "layers": [
    {"type": "conv2d", "filters": 8, "kernel": [3, 3], "stride": [2, 2], "padding": "same", "activation": "relu"},
    {"type": "depthwiseConv2d", "kernel": [3, 3], "padding": "same", "activation": "relu"},
    {"type": "conv2d", "filters": 16, "kernel": [1, 1], "padding": "same", "activation": "relu"},
    {"type": "depthwiseConv2d", "kernel": [3, 3], "stride": [2, 2], "padding": "same", "activation": "relu"},
    {"type": "conv2d", "filters": 32, "kernel": [1, 1], "padding": "same", "activation": "relu"},
    {"type": "globalAvgPool2d"},
    {"type": "dense", "units": 10}
  ]
} satisfies ModelSpec
