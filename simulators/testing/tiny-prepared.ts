/**
 * The tiny experiment (experiment/tiny-experiment.ts) parsed and prepared on the calling thread: the run
 * inputs a worker would receive, for tests that compare a host (pool, in-process CLI) with runOne.
 * Test support only; pretraining takes about a second.
 */
import { parseExperiment } from '../experiment/validate'
import { baseDataset, buildTask } from '../experiment/task'
import { pretrain } from '../experiment/pretrain'
import type { RunInput } from '../experiment/runner'
import { getBuiltinModel } from '../model/builtin'
import { buildGraph } from '../model/graph'
import { TINY_EXPERIMENT } from '../experiment/tiny-experiment'

export function prepareTinyExperiment() {
  const parsed = parseExperiment(TINY_EXPERIMENT)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  const spec = parsed.spec
  const graph = buildGraph(getBuiltinModel('dscnn-mnist')) // TINY_EXPERIMENT.model
  const task = buildTask(spec, baseDataset(spec, undefined))
  const params = pretrain(graph, task.source, spec.pretrain, spec.seed)
  /** the input of run `runIndex` of the plan, priced on no device */
  const input = (runIndex: number): RunInput => ({ spec, run: parsed.plan[runIndex], graph, params, task, profiles: [] })
  return { parsed, spec, graph, task, params, input }
}
