// A small catalog for the form's unit tests (the renderer may not load the engine's registries): the
// shapes of the real one, a few entries each.
import type { ExperimentCatalog, ExperimentSpec } from '../../api/bridge'

export function defaultSpecFixture(): ExperimentSpec {
  return {
    schemaVersion: 1,
    name: 'default-last-mile',
    seed: 1,
    data: { dataset: 'mnist', pretrainPerClass: 250, corruption: 'rotate', severity: 3, shots: 20, testPerClass: 50 },
    model: 'cnn-mnist',
    init: 'pretrained',
    head: 'model',
    pretrain: { epochs: 3, batch: 32, lr: 0.05, momentum: 0.9 },
    formats: { weightBits: 16, activationBits: 8, gradientBits: 16, accumulatorBits: 32, accumulatorOverflow: 'saturate', weightGranularity: 'per-channel', rounding: 'half-away' },
    batch: 16,
    steps: 150,
    evalEvery: 25,
    runs: [
      { algorithm: 'backprop', scope: { kind: 'all' }, hyperparameters: {} },
      { algorithm: 'zo-spsa', scope: { kind: 'all' }, hyperparameters: {} },
    ],
    profiles: [],
    deviceFormats: 'nearest',
  }
}

function imageTask(dataset: 'mnist' | 'synthetic'): ExperimentCatalog['datasets'][number]['defaults'] {
  const d = defaultSpecFixture()
  return { data: { ...d.data, dataset }, model: d.model, pretrain: d.pretrain }
}

export function catalogFixture(): ExperimentCatalog {
  return {
    defaults: defaultSpecFixture(),
    datasets: [
      { id: 'mnist', label: 'MNIST', defaults: imageTask('mnist') },
      { id: 'synthetic', label: 'Synthetic', defaults: imageTask('synthetic') },
      {
        id: 'kws-espeak', label: 'Keywords',
        defaults: {
          data: { dataset: 'kws-espeak', shift: 'unseen-voices', corruption: 'none', severity: 3, pretrainPerClass: 64, shots: 8, testPerClass: 24 },
          model: 'dscnn-kws',
          pretrain: { epochs: 30, batch: 32, lr: 0.05, momentum: 0.9 },
        },
      },
    ],
    corruptions: [
      { id: 'none', description: 'no shift', severity: 'not used' },
      { id: 'rotate', description: 'rotation about the centre', severity: 'angle = 0.2 … 1.0 rad' },
      { id: 'gaussian_noise', description: 'adds Gaussian noise', severity: 'σ = 0.08 … 0.38' },
    ],
    models: [{ id: 'cnn-mnist', description: 'Small CNN', inputShape: [28, 28, 1], classes: 10 }],
    algorithms: [
      {
        id: 'backprop', label: 'Backpropagation', reference: 'Rumelhart 1986', usesGradientFormat: true,
        defaults: { optimizer: 'sgd', lr: 0.05, qas: true },
        hyperparameters: [
          { name: 'optimizer', kind: 'enum', values: ['sgd', 'adam'], description: 'optimizer' },
          { name: 'lr', kind: 'number', min: 0, max: 10, description: 'learning rate' },
          { name: 'qas', kind: 'boolean', description: 'quantization-aware scaling' },
        ],
      },
      {
        id: 'zo-spsa', label: 'Zeroth-order SPSA', reference: 'Spall 1992', usesGradientFormat: false,
        defaults: { perturbations: 1, epsilonFraction: 0.004, lrFraction: 0.008 },
        hyperparameters: [
          { name: 'perturbations', kind: 'number', min: 1, max: 64, integer: true, description: 'directions' },
          { name: 'epsilonFraction', kind: 'number', min: 1e-6, max: 1, description: 'perturbation size, a fraction of full scale' },
          { name: 'lrFraction', kind: 'number', min: 0, max: 1, description: 'step size, a fraction of full scale' },
        ],
      },
      { id: 'forward-ad', label: 'Forward gradient', reference: 'Baydin 2022', usesGradientFormat: true, defaults: {}, hyperparameters: [] },
    ],
    formats: { bits: { min: 2, max: 32 }, accumulatorBits: [16, 32, 64], rounding: ['half-away', 'half-even'], accumulatorOverflow: ['saturate', 'wrap'], weightGranularity: ['per-tensor', 'per-channel'] },
    fieldDocs: { 'data.shots': 'shots per class', steps: 'steps' },
  }
}
