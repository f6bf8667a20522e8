/**
 * TTE's sparse-update scheme format (tiny-training repository: compilation/mcu_ir_gen.py,
 * algorithm/core/utils/partial_backward.py) translated to a `sparse` trainable scope:
 * - `n_bias_update` counts conv layers from the output and the classifier is always updated, so
 *   biasLayers = n_bias_update + 1 when the model ends in one dense layer after its convs;
 * - `manual_weight_idx` are conv indices from the input: the same as our layer indices, because the
 *   convs come first; the classifier's weights are added with ratio 1 ("fc is always updated");
 * - `weight_update_ratio` is a share of input channels; a ratio of 0 keeps int(C·0) = 0 channels in
 *   TTE, i.e. bias only, so that layer is left out of `weights`.
 * A layer's ratio in TTE: n_keep = int(in_channels · ratio) — keptCount in sparse-update.ts.
 */
import type { SparseScope } from '../training/network/sparse-update'

export interface TteScheme {
  n_bias_update: number
  manual_weight_idx: number[]
  weight_update_ratio: number[]
}

export function tteSchemeToScope(s: TteScheme, convCount: number): SparseScope {
  if (s.manual_weight_idx.length !== s.weight_update_ratio.length) {
    throw new RangeError(`manual_weight_idx has ${s.manual_weight_idx.length} entries, weight_update_ratio ${s.weight_update_ratio.length}: one ratio per layer`)
  }
  const weights = s.manual_weight_idx.map((layer, k) => ({ layer, ratio: s.weight_update_ratio[k] })).filter((u) => u.ratio > 0)
  return { kind: 'sparse', biasLayers: s.n_bias_update + 1, weights: [...weights, { layer: convCount, ratio: 1 }], axis: 'input' }
}
