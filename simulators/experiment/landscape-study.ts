// The paper's loss landscape study for two runs of one experiment (a backprop and a zeroth-order run):
// re-runs each deterministically from the experiment's seed, recording the weight codes at a bounded number of
// evenly spaced steps, then computes the 2-D slice around the common start point w0 and projects both
// trajectories onto it (landscape.ts). Re-running instead of storing snapshots during the studio's run keeps the
// run store and its IPC payloads unchanged; runs are bit-identical for a seed (experiment.test.ts), so the
// re-run's trajectory is the run's trajectory.
import { batch, batchLabels } from '../data/dataset'
import { quantizeModel } from '../training/network/quantize-model'
import { QNetwork } from '../training/network/qnetwork'
import { resolveFormats } from '../training/network/formats'
import { runOne, type RunInput } from './runner'
import { computeSlice, filterNormalisedDirection, projectTrajectory, updateDirection, validateGrid, type GridSpec, type ProjectedPoint, type Slice } from './landscape'
import { networkLoss, networkTensors } from './landscape-qnetwork'

/** At most this many recorded steps per run (each is a copy of the weights, 36 KiB for dscnn-mnist at 8 bits). */
export const MAX_SNAPSHOTS = 32
/** Evaluation batch bound: each grid point is one forward pass of this many samples. */
export const MAX_EVAL_SAMPLES = 256

export interface LandscapeStudyInput {
  /** the two runs (usually backprop and zero-order); they must start from the same integer weights */
  runs: [RunInput, RunInput]
  /** 'updates': d1, d2 = each run's net parameter change; 'random': filter-normalised Gaussian directions */
  directions: 'updates' | 'random'
  grid: GridSpec
  /** first `evalSamples` test samples are the fixed evaluation batch */
  evalSamples: number
  /** recorded steps per run, evenly spaced, plus step 0 */
  snapshots: number
}

export interface TrajectoryPoint extends ProjectedPoint { loss: number }

export interface LandscapeStudy {
  slice: Slice
  directions: 'updates' | 'random'
  /** weight tensors spanned by the directions (every layer with weights; biases stay at w0) */
  tensors: string[]
  evalSamples: number
  trajectories: { label: string; algorithm: string; points: TrajectoryPoint[] }[]
}

export interface StudyProgress { phase: string; done: number; total: number }

export function snapshotSteps(steps: number, count: number): Set<number> {
  return new Set(Array.from({ length: count }, (_, k) => Math.round(((k + 1) * steps) / count)).filter((s) => s > 0))
}

function validate(input: LandscapeStudyInput): void {
  validateGrid(input.grid)
  if (!Number.isInteger(input.snapshots) || input.snapshots < 1 || input.snapshots > MAX_SNAPSHOTS) throw new RangeError(`snapshots: must be an integer in [1, ${MAX_SNAPSHOTS}], got ${input.snapshots}`)
  const test = input.runs[0].task.test.count
  const max = Math.min(MAX_EVAL_SAMPLES, test)
  if (!Number.isInteger(input.evalSamples) || input.evalSamples < 1 || input.evalSamples > max) throw new RangeError(`evalSamples: must be an integer in [1, ${max}] (the test set has ${test}), got ${input.evalSamples}`)
  if (input.directions !== 'updates' && input.directions !== 'random') throw new RangeError(`directions: must be 'updates' or 'random', got ${String(input.directions)}`)
}

export function landscapeStudy(input: LandscapeStudyInput, onProgress: (p: StudyProgress) => void = () => {}, shouldStop?: () => boolean): LandscapeStudy {
  validate(input)
  const [first] = input.runs
  const { graph, params, task, spec } = first
  // w0 exactly as runOne builds it (same calibration batch), at the first run's formats
  const formats = resolveFormats(first.run.formats)
  const calib = Math.min(task.source.count, 256)
  const qmodel = quantizeModel(graph, params, formats, task.source.images.subarray(0, calib * (task.source.images.length / task.source.count)), calib)
  const net = new QNetwork(qmodel, input.evalSamples)
  const nodes = graph.filter((n) => qmodel.nodes[n.index].w).map((n) => n.index)
  const tensors = networkTensors(net, nodes)

  const recorded = input.runs.map((r, k) => {
    onProgress({ phase: `re-running ${r.run.label}`, done: k, total: 2 })
    const snaps: { step: number; codes: Float64Array[] }[] = []
    runOne({ ...r, emitWeights: false, snapshotSteps: snapshotSteps(r.run.steps, input.snapshots), onSnapshot: (step, n) => {
      snaps.push({ step, codes: nodes.map((i) => Float64Array.from(n.model.nodes[i].w!.data)) })
    } }, () => {})
    const start = snaps[0].codes
    if (start.some((c, t) => c.some((v, j) => v !== tensors[t].codes[j]))) {
      throw new RangeError(`runs[${k}] (${r.run.label}): starts from other integer weights than runs[0] (different formats); both runs must share w0`)
    }
    return snaps
  })

  const [d1, d2] = input.directions === 'updates'
    ? recorded.map((s) => updateDirection(tensors, s[s.length - 1].codes))
    : [filterNormalisedDirection(tensors, spec.seed, 1), filterNormalisedDirection(tensors, spec.seed, 2)]

  const per = task.test.images.length / task.test.count
  const images = new Float32Array(input.evalSamples * per)
  const labels = new Uint8Array(input.evalSamples)
  const idx = Int32Array.from({ length: input.evalSamples }, (_, i) => i)
  batch(task.test, idx, images)
  batchLabels(task.test, idx, labels)
  const loss = networkLoss(net, nodes, images, labels, input.evalSamples)

  const trajectories = input.runs.map((r, k) => {
    const pts = projectTrajectory(tensors, d1, d2, recorded[k])
    return { label: r.run.label, algorithm: spec.runs[r.run.specRun].algorithm, points: pts.map((p, j) => ({ ...p, loss: loss(recorded[k][j].codes.map((c) => Int32Array.from(c))) })) }
  })
  const slice = computeSlice(tensors, d1, d2, input.grid, loss, (p) => onProgress({ phase: 'slice', ...p }), shouldStop)
  return { slice, directions: input.directions, tensors: tensors.map((t) => t.name), evalSamples: input.evalSamples, trajectories }
}
