/**
 * An in-memory labelled image set, the unit the data side hands to training and evaluation.
 * Images are float32 in [0, 1], stored N×H×W×C (channels last, like TFLite/NHWC kernels), so a batch
 * is one contiguous copy and quantizing to uint8 with scale 1/255 is a single pass.
 */
export interface Dataset {
  readonly name: string
  /** N×H×W×C, values in [0, 1] */
  readonly images: Float32Array
  /** class of each image, in [0, classes) */
  readonly labels: Uint8Array
  /** [H, W, C] */
  readonly shape: [number, number, number]
  readonly classes: number
  readonly count: number
}

/** Values per image (H·W·C). */
export function imageSize(ds: Pick<Dataset, 'shape'>): number {
  return ds.shape[0] * ds.shape[1] * ds.shape[2]
}

/** Builds a Dataset after checking that the arrays agree with the shape and the labels with `classes`. */
export function makeDataset(name: string, images: Float32Array, labels: Uint8Array, shape: [number, number, number], classes: number): Dataset {
  const [h, w, c] = shape
  if (![h, w, c].every((d) => Number.isInteger(d) && d > 0)) throw new RangeError(`bad shape ${shape.join('×')}`)
  if (!Number.isInteger(classes) || classes < 1 || classes > 256) throw new RangeError(`classes must be in [1, 256], got ${classes}`)
  const size = h * w * c
  const count = labels.length
  if (images.length !== count * size) throw new RangeError(`${images.length} values for ${count} images of ${h}×${w}×${c}`)
  for (let i = 0; i < count; i++) if (labels[i] >= classes) throw new RangeError(`label ${labels[i]} at ${i} is not below ${classes}`)
  return { name, images, labels, shape: [h, w, c], classes, count }
}

/** A view of image i (no copy): mutate it and you mutate the dataset. */
export function imageAt(ds: Dataset, i: number): Float32Array {
  const size = imageSize(ds)
  if (!Number.isInteger(i) || i < 0 || i >= ds.count) throw new RangeError(`image ${i} out of [0, ${ds.count})`)
  return ds.images.subarray(i * size, (i + 1) * size)
}

function checkIndices(ds: Dataset, indices: ArrayLike<number>): void {
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]
    if (!Number.isInteger(i) || i < 0 || i >= ds.count) throw new RangeError(`index ${i} out of [0, ${ds.count})`)
  }
}

/** A new Dataset holding copies of the selected images, in the order given (repeats allowed). */
export function subset(ds: Dataset, indices: ArrayLike<number>, name = `${ds.name}[${indices.length}]`): Dataset {
  const images = batch(ds, indices)
  const labels = batchLabels(ds, indices)
  return { name, images, labels, shape: [...ds.shape], classes: ds.classes, count: indices.length }
}

/**
 * Copies the selected images, back to back, into `out` (allocated only when not given; it must hold at
 * least indices.length images — extra room is left untouched, so a fixed batch buffer can serve a short
 * last batch). Returns `out`.
 */
export function batch(ds: Dataset, indices: ArrayLike<number>, out?: Float32Array): Float32Array {
  const size = imageSize(ds)
  checkIndices(ds, indices)
  const dst = out ?? new Float32Array(indices.length * size)
  if (dst.length < indices.length * size) throw new RangeError(`batch buffer holds ${dst.length} values, needs ${indices.length * size}`)
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]
    dst.set(ds.images.subarray(i * size, (i + 1) * size), k * size)
  }
  return dst
}

/** Labels of the selected images into `out` (allocated only when not given). */
export function batchLabels(ds: Dataset, indices: ArrayLike<number>, out?: Uint8Array): Uint8Array {
  checkIndices(ds, indices)
  const dst = out ?? new Uint8Array(indices.length)
  if (dst.length < indices.length) throw new RangeError(`label buffer holds ${dst.length}, needs ${indices.length}`)
  for (let k = 0; k < indices.length; k++) dst[k] = ds.labels[indices[k]]
  return dst
}

/** Images per class (over `indices` when given, else the whole set). */
export function classCounts(ds: Dataset, indices?: ArrayLike<number>): number[] {
  const counts = new Array<number>(ds.classes).fill(0)
  if (indices) {
    checkIndices(ds, indices)
    for (let k = 0; k < indices.length; k++) counts[ds.labels[indices[k]]]++
  } else {
    for (let i = 0; i < ds.count; i++) counts[ds.labels[i]]++
  }
  return counts
}

/** Indices of each class's images, ascending. */
export function indicesByClass(ds: Dataset): Int32Array[] {
  const counts = classCounts(ds)
  const byClass = counts.map((n) => new Int32Array(n))
  const fillPos = new Array<number>(ds.classes).fill(0)
  for (let i = 0; i < ds.count; i++) {
    const c = ds.labels[i]
    byClass[c][fillPos[c]++] = i
  }
  return byClass
}
