/**
 * Describing the training code's work as Ops for the cost models (core/op.ts): the GEMM shape and
 * bytes of each MAC kernel by node kind and form (forward, transposed input gradient, outer-product
 * weight gradient), and element-wise work. Emitted through QNetwork.trace while a step runs.
 */
import { addWork, newWork, type Work } from '../../core/work'
import type { Op, OpForm, OpKind, OpSink } from '../../core/op'
import type { Phase, PhaseWork } from '../../core/op'
import type { GraphNode } from '../../model/graph'
import type { NumericFormats } from './formats'

/** GEMM view of a node's MAC work for batch B in the given form. */
export function gemmOf(n: GraphNode, B: number, form: OpForm): { kind: OpKind; gemm: { M: number; N: number; K: number } } {
  const out = n.outShape
  if (n.kind === 'dense') {
    const K = n.inShape[0], M = out[0]
    if (form === 'forward') return { kind: 'matmul', gemm: { M: B, N: M, K } }
    if (form === 'transposed') return { kind: 'matmul', gemm: { M: B, N: K, K: M } }
    return { kind: 'matmul', gemm: { M, N: K, K: B } }
  }
  const positions = B * out[0] * out[1]
  if (n.kind === 'conv2d') {
    const [CO, KH, KW, CI] = n.weightShape!
    const P = KH * KW * CI
    if (form === 'forward') return { kind: 'conv', gemm: { M: positions, N: CO, K: P } }
    if (form === 'transposed') return { kind: 'conv', gemm: { M: positions, N: P, K: CO } }
    return { kind: 'conv', gemm: { M: CO, N: P, K: positions } }
  }
  // depthwise: per-channel work, the same shape in every form
  const [KH, KW, OC] = n.weightShape!
  return { kind: 'depthwise', gemm: { M: positions, N: OC, K: KH * KW } }
}

/** Emits the MAC Op of one kernel call from its Work delta (what the kernel counted) and the node's shape. */
export function emitMacOp(sink: OpSink, f: NumericFormats, phase: Phase, n: GraphNode, B: number, form: OpForm, w: Work, weightBytes: number, output = { clipped: 0, requantized: 0 }): void {
  if (w.macs === 0) return
  const { kind, gemm } = gemmOf(n, B, form)
  sink({
    phase, node: n.index, kind, form, gemm, macs: w.macs, elementOps: 0,
    bytesRead: w.bytesRead, bytesWritten: w.bytesWritten, weightBytesRead: weightBytes,
    bits: { a: form === 'forward' ? f.activation.bits : f.gradient.bits, w: form === 'outer-product' ? f.activation.bits : f.weight.bits, acc: f.accumulator.bits },
    health: { accSaturations: w.accSaturations, accWraps: w.accWraps, clipped: output.clipped, requantized: output.requantized },
  })
}

/** Work done between two snapshots. */
export function delta(after: Work, before: Work): Work {
  return {
    macs: after.macs - before.macs, elementOps: after.elementOps - before.elementOps, requantizations: after.requantizations - before.requantizations,
    clipped: after.clipped - before.clipped, bytesRead: after.bytesRead - before.bytesRead, bytesWritten: after.bytesWritten - before.bytesWritten,
    accSaturations: after.accSaturations - before.accSaturations, accWraps: after.accWraps - before.accWraps,
  }
}

export function snapshot(w: Work): Work {
  return addWork(newWork(), w)
}

/**
 * Collects a step's Ops and, at the end, describes whatever the step's Work counted that no Op did:
 * element-wise work, requantizations, random draws and updates per phase (their cost is per value, so
 * per-phase totals price them exactly), and any MAC work an algorithm ran outside the traced kernels
 * (forward-AD's tangent products), as a cube-shaped GEMM that an array's aspect ratio neither favours
 * nor penalises. Every counted MAC, operation and byte is thus priced once.
 */
export class OpCollector {
  readonly ops: Op[] = []
  private readonly traced = new Map<Phase, { macs: number; bytesRead: number; bytesWritten: number }>()

  readonly sink: OpSink = (op) => {
    this.ops.push(op)
    const t = this.traced.get(op.phase) ?? { macs: 0, bytesRead: 0, bytesWritten: 0 }
    t.macs += op.macs; t.bytesRead += op.bytesRead; t.bytesWritten += op.bytesWritten
    this.traced.set(op.phase, t)
  }

  finish(f: NumericFormats, work: PhaseWork): Op[] {
    const bits = { a: f.activation.bits, w: f.weight.bits, acc: f.accumulator.bits }
    for (const phase of Object.keys(work) as Phase[]) {
      const w = work[phase]
      const t = this.traced.get(phase) ?? { macs: 0, bytesRead: 0, bytesWritten: 0 }
      const macs = w.macs - t.macs
      const bytesRead = Math.max(0, w.bytesRead - t.bytesRead)
      const bytesWritten = Math.max(0, w.bytesWritten - t.bytesWritten)
      if (macs > 0) {
        const side = Math.max(1, Math.round(Math.cbrt(macs)))
        this.ops.push({ phase, node: -1, kind: 'matmul', form: phase === 'forward' ? 'forward' : 'outer-product', gemm: { M: side, N: side, K: Math.max(1, Math.round(macs / (side * side))) }, macs, elementOps: 0, bytesRead, bytesWritten, weightBytesRead: 0, bits })
      }
      if (w.requantizations > 0) this.ops.push({ phase, node: -1, kind: 'requantize', form: 'forward', macs: 0, elementOps: w.requantizations, bytesRead: 0, bytesWritten: 0, weightBytesRead: 0, bits })
      const kind = phase === 'perturbation' ? 'rng' : phase === 'update' ? 'update' : 'eltwise'
      if (w.elementOps > 0 || (macs <= 0 && bytesRead + bytesWritten > 0)) {
        this.ops.push({ phase, node: -1, kind, form: 'forward', macs: 0, elementOps: w.elementOps, bytesRead: macs > 0 ? 0 : bytesRead, bytesWritten: macs > 0 ? 0 : bytesWritten, weightBytesRead: 0, bits })
      }
    }
    return this.ops
  }
}

