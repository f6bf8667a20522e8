// Model description data (the JSON format of ModelSpec, kept as a .ts module because tsconfig.sim.json
// compiles only .ts files: a .json import there fails with TS6307).
import type { ModelSpec } from '../spec'

export const fcAutoencoderAd = {
  "schemaVersion": 1,
  "name": "fc-autoencoder-ad",
  "description": "MLPerf Tiny anomaly detection reference model: fully connected autoencoder on 640 log-mel features (5 frames × 128 mels), 128-128-128-128-8-128-128-128-128-640, ReLU after every layer but the last. BatchNorm folded; trained to reconstruct its input.",
  "source": "MLCommons tiny, benchmark/training/anomaly_detection/keras_model.py, get_model(inputDim=640) (from the DCASE 2020 task 2 baseline by Hitachi; read from the fork jenna045/tiny at 64a6446298c612f2218a9e98d94bfc58fc20d22e).",
  "task": "reconstruction",
  "input": { "shape": [640] },
  "layers": [
    {"type": "dense", "units": 128, "activation": "relu"},
    {"type": "dense", "units": 128, "activation": "relu"},
    {"type": "dense", "units": 128, "activation": "relu"},
    {"type": "dense", "units": 128, "activation": "relu"},
    {"type": "dense", "units": 8, "activation": "relu"},
    {"type": "dense", "units": 128, "activation": "relu"},
    {"type": "dense", "units": 128, "activation": "relu"},
    {"type": "dense", "units": 128, "activation": "relu"},
    {"type": "dense", "units": 128, "activation": "relu"},
    {"type": "dense", "units": 640}
  ]
} satisfies ModelSpec
