/**
 * Built-in model descriptions. Each file holds plain JSON data (the same format a user loads from a file) and goes
 * through the same validation at module load, so a broken built-in fails loudly at startup and in the tests
 * rather than halfway through a training run.
 */
import { loadModelSpec } from '../validate'
import type { ModelSpec } from '../spec'
import { mlpMnist } from './mlp-mnist'
import { cnnMnist } from './cnn-mnist'
import { cnnMnistPooled } from './cnn-mnist-pooled'
import { dscnnMnist } from './dscnn-mnist'
import { dscnnKws } from './dscnn-kws'
import { mobilenetv1Vww } from './mobilenetv1-vww'
import { resnet8Cifar10 } from './resnet8-cifar10'
import { fcAutoencoderAd } from './fc-autoencoder-ad'

const raw = {
  'mlp-mnist': mlpMnist,
  'cnn-mnist': cnnMnist,
  'cnn-mnist-pooled': cnnMnistPooled,
  'dscnn-mnist': dscnnMnist,
  'dscnn-kws': dscnnKws,
  'mobilenetv1-vww': mobilenetv1Vww,
  'resnet8-cifar10': resnet8Cifar10,
  'fc-autoencoder-ad': fcAutoencoderAd,
}

export type BuiltinModelName = keyof typeof raw

/** MLPerf Tiny v1.x reference topologies among the built-ins. */
export const MLPERF_TINY_MODELS: readonly BuiltinModelName[] = ['dscnn-kws', 'mobilenetv1-vww', 'resnet8-cifar10', 'fc-autoencoder-ad']

export const BUILTIN_MODEL_NAMES = Object.keys(raw) as BuiltinModelName[]

export const builtinModels: Readonly<Record<BuiltinModelName, ModelSpec>> = Object.fromEntries(
  BUILTIN_MODEL_NAMES.map((name) => [name, loadModelSpec(raw[name])]),
) as Record<BuiltinModelName, ModelSpec>

/** A fresh copy, so callers may edit it (e.g. change the head) without touching the shared built-in. */
export function getBuiltinModel(name: BuiltinModelName): ModelSpec {
  // own entries only: a name from a file such as "constructor" is not a built-in
  const spec = Object.hasOwn(builtinModels, name) ? builtinModels[name] : undefined
  if (spec === undefined) throw new RangeError(`unknown built-in model '${String(name)}'; known: ${BUILTIN_MODEL_NAMES.join(', ')}`)
  return JSON.parse(JSON.stringify(spec)) as ModelSpec
}

/** An experiment's model: a built-in by name (a fresh copy), or the description it holds. */
export function resolveModel(ref: string | ModelSpec): ModelSpec {
  return typeof ref === 'string' ? getBuiltinModel(ref as BuiltinModelName) : ref
}
