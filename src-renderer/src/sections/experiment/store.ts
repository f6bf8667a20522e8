// The experiment form's state: the catalog (what the engine offers), the draft being edited (kept in
// localStorage so a restart does not lose it), and the main process's verdict on it. Validation happens
// in the main process (checkExperiment, the same parser startExperiment uses), debounced while the user types,
// so the form never disagrees with what a run will accept.
import { computed, ref, shallowRef, toRaw, watch } from 'vue'
import { defineStore } from 'pinia'
import { api, messageOf, type ExperimentCatalog, type ExperimentCheck, type ExperimentSpec, type FieldError, type ProfileEntry } from '../../api/bridge'
import { getAt, setAt } from './spec-path'
import { dropEmptyRunFormats, duplicateRun, newRun, normalizeDraft, withAlgorithm, type Draft } from './draft'
import { messagesFor, unclaimed, type FieldClaim } from './form-errors'
import { useEstimator } from './estimator'
import { useLackingDevices } from './lacking'

export const DRAFT_KEY = 'lastmile.experimentDraft'
/** long enough to skip the checks between keystrokes, short enough to feel immediate */
export const CHECK_DELAY_MS = 200

export type LoadState = 'idle' | 'loading' | 'ready' | 'error'

/** Storage may be missing (tests) or full; the draft then just lives as long as the window. */
function storage(): Storage | undefined {
  try {
    return globalThis.localStorage ?? undefined
  } catch {
    return undefined
  }
}

function restoreDraft(): unknown {
  const text = storage()?.getItem(DRAFT_KEY)
  if (!text) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** IPC clones its arguments: a reactive proxy cannot be cloned, plain JSON can. */
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(toRaw(v))) as T

export const useExperimentStore = defineStore('experiment', () => {
  // read-only data from the main process: shallow, so it stays plain (clonable) objects
  const catalog = shallowRef<ExperimentCatalog | null>(null)
  const state = ref<LoadState>('idle')
  const loadError = ref<string | null>(null)
  const draft = ref<Draft | null>(null)
  const profiles = shallowRef<ProfileEntry[]>([])
  const profilesError = ref<string | null>(null)

  /** the verdict on the draft as it was when last checked */
  const check = shallowRef<ExperimentCheck | null>(null)
  /** a check is scheduled or in flight: the verdict may be stale */
  const checking = ref(false)
  /** the last import that was refused, with why */
  const importProblem = ref<{ file: string; errors: FieldError[] } | null>(null)

  const errors = computed<FieldError[]>(() => (check.value && !check.value.ok ? check.value.errors : []))
  const valid = computed(() => check.value?.ok === true)
  /** what the current verdict's configuration will take on this machine */
  const { estimate } = useEstimator(check)
  /** with 'requested' formats: the devices that lack them, per run of the spec */
  const { lacking } = useLackingDevices(check)

  // ---- loading ----------------------------------------------------------------------------------------

  async function load(): Promise<void> {
    if (state.value === 'loading') return
    if (state.value === 'ready') return loadProfiles()
    state.value = 'loading'
    loadError.value = null
    try {
      const [cat] = await Promise.all([api().getExperimentCatalog(), loadProfiles()])
      catalog.value = cat
      draft.value = normalizeDraft(restoreDraft(), cat.defaults)
      state.value = 'ready'
      await validateNow()
    } catch (e) {
      loadError.value = messageOf(e)
      state.value = 'error'
    }
  }

  /** Profiles change in the Devices view, so they are re-read each time the form opens. */
  async function loadProfiles(): Promise<void> {
    try {
      profiles.value = await api().listProfiles()
      profilesError.value = null
    } catch (e) {
      profilesError.value = messageOf(e)
    }
    // a profile that appeared or vanished changes the verdict on the draft's devices
    if (draft.value) scheduleCheck()
  }

  // ---- validation -------------------------------------------------------------------------------------

  let timer: ReturnType<typeof setTimeout> | undefined
  let sequence = 0
  /** the draft (as JSON) the current `check` is the verdict on */
  let checkedDraft = ''

  function scheduleCheck(): void {
    checking.value = true
    clearTimeout(timer)
    timer = setTimeout(() => void runCheck(), CHECK_DELAY_MS)
  }

  async function runCheck(): Promise<ExperimentCheck | null> {
    clearTimeout(timer)
    if (!draft.value) return null
    const mine = ++sequence
    checking.value = true
    const sent = JSON.stringify(draft.value)
    let result: ExperimentCheck
    try {
      result = await api().checkExperiment(JSON.parse(sent))
    } catch (e) {
      result = { ok: false, errors: [{ path: '', message: `could not check the experiment: ${messageOf(e)}` }] }
    }
    // answers may arrive out of order; only the latest request speaks for the draft
    if (mine !== sequence) return null
    check.value = result
    checkedDraft = sent
    checking.value = false
    return result
  }

  /** Checks the draft as it is now (skipping the debounce), e.g. right before starting a run. */
  async function validateNow(): Promise<ExperimentCheck | null> {
    return runCheck()
  }

  // every change of the draft (a field, a run added, an import) is saved and re-checked
  watch(
    draft,
    (d) => {
      if (!d) return
      try {
        storage()?.setItem(DRAFT_KEY, JSON.stringify(d))
      } catch {
        // full or disabled storage: keep editing, only persistence is lost
      }
      scheduleCheck()
    },
    { deep: true },
  )

  // ---- errors by field --------------------------------------------------------------------------------

  // Fields on screen register the paths they show errors for; the rest is listed at the top of the form.
  const claimsOnScreen = ref<FieldClaim[]>([])

  function registerField(claim: FieldClaim): () => void {
    const entry = { ...claim }
    claimsOnScreen.value.push(entry)
    return () => {
      const i = claimsOnScreen.value.indexOf(entry)
      if (i >= 0) claimsOnScreen.value.splice(i, 1)
    }
  }

  const errorsAt = (claim: FieldClaim): string[] => messagesFor(errors.value, claim)
  const unclaimedErrors = computed(() => unclaimed(errors.value, claimsOnScreen.value))

  // ---- editing ----------------------------------------------------------------------------------------

  const valueAt = (path: string): unknown => getAt(draft.value, path)

  function edit(path: string, value: unknown): void {
    if (!draft.value) return
    if (path === 'data.dataset' && value !== draft.value.data.dataset) return switchDataset(value)
    setAt(draft.value as unknown as Record<string, unknown>, path, value)
    if (value === undefined) dropEmptyRunFormats(draft.value)
  }

  /**
   * Another data set brings its own task (experiment/dataset-defaults.ts via the catalog): data, model and
   * pretraining are replaced, so nothing valid only for the previous data set stays (MNIST's model on MFCC
   * clips); whatever the user then makes invalid is reported by the check, field by field.
   */
  function switchDataset(id: unknown): void {
    const entry = catalog.value?.datasets.find((d) => d.id === id)
    if (!draft.value) return
    if (!entry) {
      setAt(draft.value as unknown as Record<string, unknown>, 'data.dataset', id)
      return
    }
    const d = structuredClone(entry.defaults)
    Object.assign(draft.value, { data: d.data, model: d.model, pretrain: d.pretrain })
  }

  function reset(): void {
    if (!catalog.value) return
    draft.value = structuredClone(catalog.value.defaults)
    importProblem.value = null
  }

  function addRun(): void {
    if (draft.value && catalog.value) draft.value.runs.push(newRun(draft.value.runs, catalog.value))
  }

  function removeRun(i: number): void {
    // an experiment needs at least one run (the validator says so too); the button is disabled then
    if (draft.value && draft.value.runs.length > 1) draft.value.runs.splice(i, 1)
  }

  function copyRun(i: number): void {
    if (draft.value) draft.value.runs.splice(i + 1, 0, duplicateRun(plain(draft.value.runs[i])))
  }

  function setAlgorithm(i: number, id: string): void {
    if (draft.value) draft.value.runs[i] = withAlgorithm(draft.value.runs[i], id)
  }

  const profileIdOf = (ref: unknown): unknown => (typeof ref === 'string' ? ref : (ref as { id?: unknown } | null)?.id)

  function hasProfile(id: string): boolean {
    return !!draft.value?.profiles.some((p) => profileIdOf(p) === id)
  }

  function toggleProfile(id: string, on: boolean): void {
    if (!draft.value) return
    const rest = draft.value.profiles.filter((p) => profileIdOf(p) !== id)
    draft.value.profiles = on ? [...rest, id] : rest
  }

  /**
   * Replaces the draft by an imported spec if the main process accepts it; otherwise keeps the draft and
   * records why (a broken file must not wreck the form).
   */
  async function importSpec(raw: unknown, file: string): Promise<boolean> {
    let result: ExperimentCheck
    try {
      result = await api().checkExperiment(raw)
    } catch (e) {
      result = { ok: false, errors: [{ path: '', message: messageOf(e) }] }
    }
    if (!result.ok) {
      importProblem.value = { file, errors: result.errors }
      return false
    }
    importProblem.value = null
    if (catalog.value) draft.value = normalizeDraft(result.spec, catalog.value.defaults)
    return true
  }

  function reportImportProblem(file: string, message: string): void {
    importProblem.value = { file, errors: [{ path: '', message }] }
  }

  /** The validated spec to start, or null when the draft (checked right now) is invalid. */
  /**
   * The spec to start: the last check's, when it is the verdict on the draft as it is now (no edit since,
   * no check pending), else a fresh check. The main process validates again when it starts the experiment
   * (the window is untrusted); this only spares the form a second round trip.
   */
  async function specToStart(): Promise<ExperimentSpec | null> {
    if (!checking.value && check.value?.ok && checkedDraft === JSON.stringify(draft.value)) return check.value.spec
    const r = await validateNow()
    return r?.ok ? r.spec : null
  }

  return {
    catalog, state, loadError, draft, profiles, profilesError, check, checking, importProblem, errors, valid, unclaimedErrors, estimate, lacking,
    load, loadProfiles, validateNow, registerField, errorsAt, valueAt, edit, reset, addRun, removeRun, copyRun, setAlgorithm,
    hasProfile, toggleProfile, importSpec, reportImportProblem, specToStart,
  }
})
