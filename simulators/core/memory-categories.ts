/**
 * The categories of a training step's live-buffer plan: what the training code declares
 * (training/network/memory.ts), what memory placement fits into a device (hardware/pricing), and what
 * the dashboard stacks. Vocabulary only, below both, so that neither imports the other.
 */

export const MEMORY_CATEGORIES = [
  'weights',
  'savedActivations',
  'activationGradients',
  'weightGradients',
  'optimizerState',
  'perturbationState',
  'scratch',
] as const
export type MemoryCategory = (typeof MEMORY_CATEGORIES)[number]

/** How each category reads in words (memory placement's messages, the dashboard, the report's charts). */
export const MEMORY_CATEGORY_LABELS: Record<MemoryCategory, string> = {
  weights: 'weights', savedActivations: 'saved activations', activationGradients: 'activation gradients', weightGradients: 'weight gradients',
  optimizerState: 'optimizer state', perturbationState: 'perturbation state', scratch: 'working activations',
}
export type MemoryBreakdown = Record<MemoryCategory, number>

export function emptyBreakdown(): MemoryBreakdown {
  return { weights: 0, savedActivations: 0, activationGradients: 0, weightGradients: 0, optimizerState: 0, perturbationState: 0, scratch: 0 }
}

export function breakdownTotal(b: MemoryBreakdown): number {
  let t = 0
  for (const c of MEMORY_CATEGORIES) t += b[c]
  return t
}
