/**
 * The task settings an experiment starts from for each data set: what the studio's form switches to when
 * the data set changes, so no setting valid only for another data set (MNIST's classifier and its rotate
 * corruption, 250 images per class, against kws-espeak's 64 source clips per class) is left behind.
 * MNIST and the synthetic strokes share the built-in default; kws-espeak takes the settings of
 * examples/kws-espeak.json: its DS-CNN, the unseen-voices shift, and 30 pretraining epochs (docs/kws.md:
 * the loss sits at ln 12 for about 8 epochs before it moves, so the default 3 leave a chance-level model).
 */
import { KWS_SOURCE_PER_CLASS, KWS_TARGET_PER_CLASS } from '../data/kws'
import type { DataSpec, ExperimentSpec } from './spec'
import { defaultExperiment } from './validate'

export type DatasetDefaults = Pick<ExperimentSpec, 'data' | 'model' | 'pretrain'>

export function datasetDefaults(dataset: DataSpec['dataset']): DatasetDefaults {
  const base = defaultExperiment()
  if (dataset !== 'kws-espeak') return { data: { ...base.data, dataset }, model: base.model, pretrain: base.pretrain }
  return {
    data: {
      dataset,
      shift: 'unseen-voices',
      corruption: 'none',
      severity: base.data.severity,
      pretrainPerClass: KWS_SOURCE_PER_CLASS,
      shots: 8,
      // the shots and the test clips together take all target clips of a class
      testPerClass: KWS_TARGET_PER_CLASS - 8,
    },
    model: 'dscnn-kws',
    pretrain: { ...base.pretrain, epochs: 30 },
  }
}
