// The Devices section's state: the profile library (from the main process) and the one profile open in the
// editor. Kept in a store, not in the view, so an unsaved draft survives switching sections.
//
// The editor works on `draft`, a plain JSON object. Every edit is checked by the main process
// (api().checkProfile, debounced) so the window never has its own copy of the validation rules; the only
// local checks are the ones the main process cannot see: text that is not JSON, or not a number.
import { computed, ref, shallowRef } from 'vue'
import { defineStore } from 'pinia'
import { api, messageOf, type FieldError, type HardwareProfile, type ProfileCatalog, type ProfileCheck, type ProfileEntry } from '../../api/bridge'
import { assignErrors, duplicateOf, flattenProfile, parseFieldInput, setAt, type FieldDef } from './profile-fields'

export type LoadState = 'idle' | 'loading' | 'ready' | 'error'

export interface EditorSession {
  /** 'draft': never saved (a duplicate or an import) */
  origin: 'preset' | 'user' | 'draft'
  /** the stored profile this edits (null for a draft) */
  savedId: string | null
  /** JSON of the document as opened or last saved: Revert goes back to it, "changed" compares with it */
  baseline: string
}

export const CHECK_DEBOUNCE_MS = 150

const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T // IPC cannot clone Vue's proxies
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`

export const useProfilesStore = defineStore('profiles', () => {
  // ---- the library ----
  const entries = ref<ProfileEntry[]>([])
  /** the editor's menus (value sets from the engine's schemas) */
  const catalog = shallowRef<ProfileCatalog>({ fields: {}, compute: {} })
  const loadState = ref<LoadState>('idle')
  const loadError = ref<string | null>(null)
  const presetIds = computed(() => new Set(entries.value.filter((e) => e.origin === 'preset').map((e) => e.profile.id)))
  const userIds = computed(() => new Set(entries.value.filter((e) => e.origin === 'user').map((e) => e.profile.id)))

  async function load(): Promise<void> {
    loadState.value = 'loading'
    loadError.value = null
    try {
      const [list, cat] = await Promise.all([api().listProfiles(), api().getProfileCatalog()])
      entries.value = list
      catalog.value = cat
      loadState.value = 'ready'
    } catch (e) {
      loadError.value = messageOf(e)
      loadState.value = 'error'
    }
  }

  // ---- the editor ----
  const session = ref<EditorSession | null>(null)
  const draft = ref<Record<string, unknown> | null>(null)
  // The form's fields come from a snapshot taken when a document is opened (or its JSON edited), not from
  // every keystroke: an emptied number must stay a number input rather than turn into another kind.
  const layoutSource = shallowRef<Record<string, unknown> | null>(null)
  const fields = computed<FieldDef[]>(() => (layoutSource.value ? flattenProfile(layoutSource.value, catalog.value) : []))
  /** the text of each input the user typed in, so re-formatting never fights the caret ("1." stays "1.") */
  const buffers = ref<Record<string, string>>({})
  /** problems the main process cannot report: a field's text that is not JSON or not a number */
  const localErrors = ref<Record<string, string>>({})
  const jsonMode = ref(false)
  const jsonText = ref('')
  const jsonError = ref<string | null>(null)
  const check = ref<ProfileCheck | null>(null)
  const checking = ref(false)
  const checkFailure = ref<string | null>(null)
  const saving = ref(false)
  /** the outcome of the last save/import, cleared by the next edit */
  const status = ref<{ text: string; kind: 'ok' | 'error' | 'info' } | null>(null)
  /** after a refused save the top list shows every error, not only those without a field */
  const showAllErrors = ref(false)

  const readOnly = computed(() => session.value?.origin === 'preset')
  const changed = computed(() => !!session.value && !!draft.value && JSON.stringify(draft.value) !== session.value.baseline)
  const dirty = computed(() => session.value?.origin === 'draft' || changed.value || jsonError.value !== null)
  const draftId = computed(() => (typeof draft.value?.id === 'string' ? draft.value.id : ''))

  const errors = computed<FieldError[]>(() => {
    if (!session.value || readOnly.value) return []
    const list = check.value && !check.value.ok ? [...check.value.errors] : []
    // known here already: saving under a preset's id is refused by the main process on save
    const presetMsg = `"${draftId.value}" is a preset; duplicate it under a new id`
    if (presetIds.value.has(draftId.value) && !list.some((e) => e.path === 'id' && e.message === presetMsg)) list.unshift({ path: 'id', message: presetMsg })
    return list
  })
  /** values beyond any real part of the class, from the main process's check (the profile still saves) */
  const limitWarnings = computed(() => (check.value?.ok ? check.value.warnings ?? [] : []))
  const assignment = computed(() => assignErrors(errors.value, new Set(fields.value.map((f) => f.path))))
  const errorCount = computed(() => errors.value.length + Object.keys(localErrors.value).length + (jsonError.value ? 1 : 0))

  let timer: ReturnType<typeof setTimeout> | undefined
  let checkSeq = 0

  async function runCheck(): Promise<void> {
    clearTimeout(timer)
    if (!draft.value || readOnly.value) return
    const seq = ++checkSeq
    checking.value = true
    try {
      const r = await api().checkProfile(plain(draft.value))
      if (seq === checkSeq) {
        check.value = r
        checkFailure.value = null
      }
    } catch (e) {
      if (seq === checkSeq) checkFailure.value = messageOf(e)
    } finally {
      if (seq === checkSeq) checking.value = false
    }
  }

  function scheduleCheck(): void {
    clearTimeout(timer)
    timer = setTimeout(() => void runCheck(), CHECK_DEBOUNCE_MS)
  }

  function setDocument(doc: Record<string, unknown>): void {
    draft.value = doc
    layoutSource.value = plain(doc)
    buffers.value = {}
    localErrors.value = {}
    jsonText.value = JSON.stringify(doc, null, 2)
    jsonError.value = null
    check.value = null
    checkFailure.value = null
    status.value = null
    showAllErrors.value = false
    if (!readOnly.value) void runCheck()
    else clearTimeout(timer)
  }

  function openDocument(s: EditorSession, doc: Record<string, unknown>): void {
    session.value = s
    setDocument(doc)
  }

  /** Opens a library profile: a preset read-only, a user profile for editing. */
  function open(id: string): void {
    const entry = entries.value.find((e) => e.profile.id === id)
    if (!entry) return
    const json = JSON.stringify(entry.profile)
    openDocument({ origin: entry.origin, savedId: id, baseline: json }, JSON.parse(json))
  }

  function close(): void {
    clearTimeout(timer)
    session.value = null
    draft.value = null
    layoutSource.value = null
  }

  /** A new unsaved draft from the shown profile, under `<id>-copy` (or -copy-2, … if that is taken). */
  function duplicate(): void {
    if (!draft.value) return
    const copy = duplicateOf(plain(draft.value) as unknown as HardwareProfile)
    const taken = (id: string) => presetIds.value.has(id) || userIds.value.has(id)
    for (let n = 2; taken(String(copy.id)); n++) copy.id = `${draftId.value}-copy-${n}`
    openDocument({ origin: 'draft', savedId: null, baseline: JSON.stringify(copy) }, copy)
  }

  /** Opens a file's text as an unsaved draft; returns why not if it is not a JSON object. */
  function importText(text: string, fileName: string): string | null {
    let doc: unknown
    try {
      doc = JSON.parse(text)
    } catch (e) {
      return `${fileName} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`
    }
    if (!isRecord(doc)) return `${fileName} does not hold a profile (a JSON object)`
    openDocument({ origin: 'draft', savedId: null, baseline: JSON.stringify(doc) }, doc)
    status.value = { text: `Imported ${fileName}: not saved yet`, kind: 'info' }
    return null
  }

  function afterEdit(): void {
    status.value = null
    showAllErrors.value = false
    scheduleCheck()
  }

  /** A typed edit of one field; `badInput`: a number input holding text the browser cannot read as a number. */
  function editField(field: FieldDef, text: string, badInput = false): void {
    if (!draft.value || readOnly.value) return
    buffers.value[field.path] = text
    const parsed: ReturnType<typeof parseFieldInput> = badInput ? { ok: false, message: 'enter a number' } : parseFieldInput(field.kind, text)
    if (parsed.ok) {
      delete localErrors.value[field.path]
      setAt(draft.value, field.keys, parsed.value)
    } else localErrors.value[field.path] = parsed.message
    afterEdit()
  }

  /** Adds an empty source for a number that lacks one (the field appears in the Sources section). */
  function addSource(path: string): void {
    if (!draft.value || readOnly.value) return
    setAt(draft.value, ['sources', path], '')
    layoutSource.value = plain(draft.value)
    afterEdit()
  }

  function setJsonText(text: string): void {
    if (!draft.value || readOnly.value) return
    jsonText.value = text
    let doc: unknown
    try {
      doc = JSON.parse(text)
    } catch (e) {
      jsonError.value = e instanceof Error ? e.message : String(e)
      status.value = null
      return
    }
    if (!isRecord(doc)) {
      jsonError.value = 'a profile is a JSON object ({ … })'
      return
    }
    jsonError.value = null
    draft.value = doc
    layoutSource.value = plain(doc)
    buffers.value = {}
    localErrors.value = {}
    afterEdit()
  }

  function setJsonMode(on: boolean): void {
    if (on && draft.value) {
      jsonText.value = JSON.stringify(draft.value, null, 2)
      jsonError.value = null
    }
    jsonMode.value = on
  }

  function revert(): void {
    if (!session.value || readOnly.value) return
    setDocument(JSON.parse(session.value.baseline))
  }

  function refuse(text: string): void {
    status.value = { text: `Not saved: ${text}`, kind: 'error' }
    showAllErrors.value = true
  }

  /** Checks now and saves only a valid draft; on success the list is reloaded and the draft becomes the saved profile. */
  async function save(): Promise<boolean> {
    if (!session.value || !draft.value || readOnly.value || saving.value) return false
    if (jsonError.value) return (refuse('the JSON has a syntax error'), false)
    await runCheck()
    if (checkFailure.value) return (refuse(checkFailure.value), false)
    if (errorCount.value > 0) return (refuse(plural(errorCount.value, 'error')), false)
    const sent = plain(draft.value)
    saving.value = true
    let r: ProfileCheck
    try {
      r = await api().saveProfile(sent)
    } catch (e) {
      refuse(messageOf(e))
      return false
    } finally {
      saving.value = false
    }
    if (!r.ok) {
      check.value = r
      refuse(plural(r.errors.length, 'error'))
      return false
    }
    await load()
    const saved = r.profile as unknown as Record<string, unknown>
    const s: EditorSession = { origin: 'user', savedId: r.profile.id, baseline: JSON.stringify(saved) }
    // an edit typed while the save was in flight stays in the draft (and shows as a change)
    if (JSON.stringify(draft.value) === JSON.stringify(sent)) openDocument(s, plain(saved))
    else session.value = s
    status.value = { text: 'Saved', kind: 'ok' }
    return true
  }

  /** Deletes a user profile; the editor closes if it showed it. Throws the main process's message. */
  async function remove(id: string): Promise<void> {
    await api().deleteProfile(id)
    if (session.value?.savedId === id) close()
    await load()
  }

  return {
    entries, catalog, loadState, loadError, presetIds, userIds, load,
    session, draft, fields, buffers, localErrors, jsonMode, jsonText, jsonError, check, checking, checkFailure, saving, status, showAllErrors,
    readOnly, changed, dirty, draftId, errors, limitWarnings, assignment, errorCount,
    open, close, duplicate, importText, editField, addSource, setJsonText, setJsonMode, revert, save, remove, runCheck,
  }
})
