// Model description data (the JSON format of ModelSpec, kept as a .ts module because tsconfig.sim.json
// compiles only .ts files: a .json import there fails with TS6307).
import type { ModelSpec } from '../spec'

export const cnnMnist = {
  "schemaVersion": 1,
  "name": "cnn-mnist",
  "description": "Small CNN for 28×28 greyscale digits, sized to train quickly in pure JavaScript: two 3×3 conv + 2×2 max-pool stages (8, 16 filters), then a dense classifier.",
  "source": "Lastmile Studio: LeNet-style layout chosen for this project (no external reference).",
  "task": "classification",
  "input": { "shape": [28, 28, 1] },
  "layers": [
    {"type": "conv2d", "filters": 8, "kernel": [3, 3], "padding": "same", "activation": "relu"},
    {"type": "maxPool2d", "kernel": [2, 2]},
    {"type": "conv2d", "filters": 16, "kernel": [3, 3], "padding": "same", "activation": "relu"},
    {"type": "maxPool2d", "kernel": [2, 2]},
    {"type": "flatten"},
    {"type": "dense", "units": 10}
  ]
} satisfies ModelSpec
