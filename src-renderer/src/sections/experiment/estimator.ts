// The wall-time estimate of the draft, asked of the main process (estimateExperiment: a trial step of every
// planned run in a worker) after each valid check. It can take a second or more and waits for a free worker,
// so it is debounced beyond the check's own delay, asked again only when something that decides the time
// changed (not a rename or another seed), and remembered per configuration (going back to a previous
// setting shows its estimate at once).
import { computed, ref, shallowRef, watch, type Ref } from 'vue'
import { api, messageOf, type ExperimentCheck, type ExperimentEstimate, type ExperimentEstimateResult, type ExperimentSpec, type FieldError, type PlannedRun } from '../../api/bridge'

/** on top of the check's delay: typing "1000000" into Steps asks once, not seven times */
export const ESTIMATE_DELAY_MS = 600
const MEMO_SIZE = 50

/**
 * Everything the estimate depends on: what the main process times (model, batch, test split, each run's
 * algorithm, scope, hyperparameters, formats and devices) and what it multiplies by (steps, evalEvery).
 * Names, labels, seed, shots and pretraining are left out: they do not change the time.
 */
export function estimateKey(spec: ExperimentSpec, plan: readonly PlannedRun[]): string {
  return JSON.stringify([
    spec.model, spec.batch, spec.evalEvery, spec.data.testPerClass, spec.data.classes ?? null,
    spec.runs.map((r) => [r.algorithm, r.scope, r.hyperparameters]),
    plan.map((r) => [r.specRun, r.steps, r.formats, r.devices.map((d) => d.profile)]),
    // a whole profile (from an imported file) is priced as written: its content decides the time too
    spec.profiles.filter((p) => typeof p !== 'string'),
  ])
}

export type EstimateView =
  | { state: 'none' }
  | { state: 'waiting' }
  | { state: 'failed'; errors: FieldError[] }
  | { state: 'done'; estimate: ExperimentEstimate }

export function useEstimator(check: Ref<ExperimentCheck | null>) {
  const wanted = ref('')
  const answer = shallowRef<{ key: string; result: ExperimentEstimateResult } | null>(null)
  const memo = new Map<string, ExperimentEstimateResult>()
  let timer: ReturnType<typeof setTimeout> | undefined

  async function ask(key: string, spec: ExperimentSpec): Promise<void> {
    let result: ExperimentEstimateResult
    try {
      result = await api().estimateExperiment(JSON.parse(JSON.stringify(spec)))
    } catch (e) {
      result = { ok: false, errors: [{ path: '', message: messageOf(e) }] }
    }
    // a failure is not remembered: a worker that failed or a profile that was fixed may do better next time
    if (result.ok) {
      memo.set(key, result)
      if (memo.size > MEMO_SIZE) memo.delete(memo.keys().next().value!)
    }
    // an answer for a configuration the user already left is kept in the memo, not shown
    if (key === wanted.value) answer.value = { key, result }
  }

  watch(check, (c) => {
    if (!c?.ok) {
      clearTimeout(timer)
      wanted.value = ''
      return
    }
    const key = estimateKey(c.spec, c.plan)
    if (key === wanted.value) return
    wanted.value = key
    clearTimeout(timer)
    const known = memo.get(key)
    if (known) answer.value = { key, result: known }
    else timer = setTimeout(() => void ask(key, c.spec), ESTIMATE_DELAY_MS)
  })

  /** The estimate of the current verdict's configuration, with the current plan's run labels. */
  const estimate = computed<EstimateView>(() => {
    const c = check.value
    if (!c?.ok || !wanted.value) return { state: 'none' }
    const a = answer.value
    if (!a || a.key !== wanted.value) return { state: 'waiting' }
    if (!a.result.ok) return { state: 'failed', errors: a.result.errors }
    // labels are not part of the key: a renamed run keeps its timing and shows its new name
    const runs = a.result.runs.map((r) => ({ ...r, label: c.plan[r.run]?.label ?? r.label }))
    return { state: 'done', estimate: { runs, seconds: a.result.seconds, workers: a.result.workers } }
  })

  return { estimate }
}
