/**
 * The vocabulary shared by the producer of work (training) and its consumer (hardware pricing), kept
 * below both so that neither imports the other (as tfjs-core keeps kernel names in kernel_names.ts):
 * the phases of a training step and what one step's work is per phase, and the Op record a cost model
 * prices. The integer network, the backward pass, the updater and the perturbation generator each emit
 * one Op per kernel they run (through QNetwork.trace), with the GEMM shape of MAC work so that array
 * models (systolic folds) can map it, and the bytes each operand moved at its device width.
 */
import { newWork, type Work } from './work'

/** The phases of a training step, in the order the dashboard and the packed step columns list them. */
export const PHASES = ['forward', 'backward', 'update', 'perturbation'] as const
export type Phase = (typeof PHASES)[number]
export type PhaseWork = Record<Phase, Work>

export function newPhaseWork(): PhaseWork {
  return { forward: newWork(), backward: newWork(), update: newWork(), perturbation: newWork() }
}

export type OpKind =
  | 'matmul' // dense / 1×1 work as a GEMM
  | 'conv' // convolution lowered to a GEMM (im2col view)
  | 'depthwise' // per-channel convolution: K = kernel taps, N = channels, no reduction across channels
  | 'pool'
  | 'eltwise' // activations, residual adds, masks, scans
  | 'requantize'
  | 'update' // weight updates (read-modify-write of the weights)
  | 'rng' // random draws (perturbations regenerated from their seed)
  | 'loss' // host-side loss and its gradient

/**
 * Backward ops need operand layouts an inference engine may lack: the input gradient multiplies by the
 * transposed weights (a transposed convolution), the weight gradient is an outer product of activations
 * and output gradients accumulated over the batch. Profiles say whether their compute unit runs them.
 */
export type OpForm = 'forward' | 'transposed' | 'outer-product'

export interface Op {
  phase: Phase
  /** graph node, or −1 for whole-network work (loss) */
  node: number
  kind: OpKind
  form: OpForm
  /** GEMM view of MAC work: M output rows (positions × batch), N output columns, K reduction length */
  gemm?: { M: number; N: number; K: number }
  macs: number
  elementOps: number
  /** bytes read and written, at device widths */
  bytesRead: number
  bytesWritten: number
  /** of which weights (for placement: weights may live in flash or DRAM) */
  weightBytesRead: number
  /** operand widths in bits: activations/gradients a, weights w, accumulator acc */
  bits: { a: number; w: number; acc: number }
  /**
   * What the arithmetic lost in this kernel, for the run's health report (cost models ignore it):
   * accumulations that hit the accumulator's limit (saturated or wrapped), and outputs clipped by the
   * requantization that follows (with how many values it requantized).
   */
  health?: { accSaturations: number; accWraps: number; clipped: number; requantized: number }
}

export type OpSink = (op: Op) => void
