// Model description data (the JSON format of ModelSpec, kept as a .ts module because tsconfig.sim.json
// compiles only .ts files: a .json import there fails with TS6307).
//
// Why this model (issue 13 §1): the seed paper adapts small heads on large pretrained backbones (ResNet12,
// ResNet18, ViT-tiny with ProtoNet classifiers; Feng et al., NeurIPS 2024, arXiv 2411.04036), whereas
// cnn-mnist's last layer holds 7,850 of its 9,098 parameters. Here the backbone is three 3×3 stride-2 convs
// (16, 32, 32 filters) and a global average pool, so the dense head is 32·10 + 10 = 330 of 14,378
// parameters (2.3 %). Stride 2 instead of conv + max-pool keeps a step cheap: about 0.4 M MACs per image,
// against 1.5 M for the same filters at stride 1 with 2×2 pools (measured: 45 against 17 zo-spsa steps/s).
import type { ModelSpec } from '../spec'

export const cnnMnistPooled = {
  "schemaVersion": 1,
  "name": "cnn-mnist-pooled",
  "description": "Pooled CNN backbone with a small head for 28×28 greyscale digits: three 3×3 stride-2 conv + ReLU stages (16, 32, 32 filters; 14×14, 7×7, 4×4 maps), a global average pool to 32 features and a dense 32→10 classifier (330 of 14,378 parameters).",
  "source": "Lastmile Studio: chosen for this project (no external reference) to give the small-head-on-a-backbone setting of Feng et al., NeurIPS 2024 (arXiv 2411.04036) at MNIST scale.",
  "task": "classification",
  "input": { "shape": [28, 28, 1] },
  "layers": [
    {"type": "conv2d", "filters": 16, "kernel": [3, 3], "stride": [2, 2], "padding": "same", "activation": "relu"},
    {"type": "conv2d", "filters": 32, "kernel": [3, 3], "stride": [2, 2], "padding": "same", "activation": "relu"},
    {"type": "conv2d", "filters": 32, "kernel": [3, 3], "stride": [2, 2], "padding": "same", "activation": "relu"},
    {"type": "globalAvgPool2d"},
    {"type": "flatten"},
    {"type": "dense", "units": 10}
  ]
} satisfies ModelSpec
