// Model description data (the JSON format of ModelSpec, kept as a .ts module because tsconfig.sim.json
// compiles only .ts files: a .json import there fails with TS6307).
import type { ModelSpec } from '../spec'

export const mlpMnist = {
  "schemaVersion": 1,
  "name": "mlp-mnist",
  "description": "Multilayer perceptron for 28×28 greyscale digits: 784 → 128 → 128 → 10 with ReLU. The input stays an image (then flatten) so image corruptions apply.",
  "source": "Lastmile Studio: a classic small MNIST MLP, chosen for this project (no external reference).",
  "task": "classification",
  "input": { "shape": [28, 28, 1] },
  "layers": [
    {"type": "flatten"},
    {"type": "dense", "units": 128, "activation": "relu"},
    {"type": "dense", "units": 128, "activation": "relu"},
    {"type": "dense", "units": 10}
  ]
} satisfies ModelSpec
