/**
 * What the experiment validator needs to know about the data sets without loading them: MNIST as the
 * host loads it (workers/data/mnist.ts, whose test checks these counts) and the synthetic set as
 * experiment/task.ts generates it. Both are 28×28×1 images of 10 classes, labels 0–9.
 */
export const MNIST_CLASS_COUNTS: readonly number[] = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]
export const DATASET_IMAGE_SHAPE: readonly number[] = [28, 28, 1]
export const DATASET_CLASSES = 10
