// With deviceFormats 'requested' the plan changes nothing, and a device lacking the requested formats is
// judged infeasible only once the run starts. To say which before it starts, the same draft is checked
// once more with 'nearest' (the engine's own choice of formats per device): its changed devices are the
// ones that lack the requested formats.
import { computed, shallowRef, watch, type Ref } from 'vue'
import { api, type ExperimentCheck, type PlannedRun } from '../../api/bridge'
import { lackingBySpecRun, type ChangeGroup } from './plan-preview'

export function useLackingDevices(check: Ref<ExperimentCheck | null>) {
  const nearest = shallowRef<{ for: ExperimentCheck; plan: PlannedRun[] } | null>(null)

  watch(check, async (c) => {
    if (!c?.ok || c.spec.deviceFormats !== 'requested' || c.spec.profiles.length === 0) return
    try {
      const r = await api().checkExperiment({ ...JSON.parse(JSON.stringify(c.spec)), deviceFormats: 'nearest' })
      if (r.ok && check.value === c) nearest.value = { for: c, plan: r.plan }
    } catch {
      // only the list of lacking devices is missing then; the run still says why a device is out
    }
  })

  /** per run of the spec, the devices that lack its requested formats; null: not known (or not 'requested') */
  const lacking = computed<Map<number, ChangeGroup[]> | null>(() => {
    const n = nearest.value
    return n && n.for === check.value ? lackingBySpecRun(n.plan) : null
  })

  return { lacking }
}
