// Types only: the contract between the preload (window.api) and the renderer. The renderer may import
// this file with `import type`; nothing here may have a runtime value.
import type { EngineInfo } from '../../workers/engine-api'
import type { PackedSteps } from '../../workers/run-stream'
import type { FieldError } from '../../simulators/core/schema'
import type { HardwareProfile } from '../../simulators/hardware/profiles/profile'
import type { Blocker } from '../../simulators/hardware/pricing/run-pricer'
import type { KeyFigures, ProfileEnums } from '../../simulators/hardware/profiles/figures'
import type { ExperimentSpec } from '../../simulators/experiment/spec'
import type { EvalEvent, FeasibilityEvent, RunStart, RunSummary } from '../../simulators/experiment/runner'
import type { PretrainProgress } from '../../simulators/experiment/pretrain'
import type { PlannedRun, PlannedDevice, FormatChange } from '../../simulators/experiment/plan'
import type { ExperimentEstimate, RunEstimate } from '../../simulators/experiment/estimate'
import type { SweepReport, DeviceDetail } from '../../simulators/sweep/report'
import type { TrialRow } from '../../simulators/sweep/results'
import type { Selection, DeviceVerdict, Failure } from '../../simulators/sweep/select'
import type { Constraints } from '../../simulators/sweep/spec'
import type { HyperparameterDoc } from '../../simulators/training/algorithms/algorithm'
import type { ExperimentMeta, ExperimentStatus } from '../experiments/types'
import type { LandscapeStudy, StudyProgress } from '../../simulators/experiment/landscape-study'
import type { GridSpec } from '../../simulators/experiment/landscape'

export type { LandscapeStudy, StudyProgress, GridSpec }
export type { SweepReport, DeviceDetail, TrialRow, Selection, DeviceVerdict, Failure, Constraints, Blocker, ExperimentEstimate, RunEstimate, PlannedRun, PlannedDevice, FormatChange, KeyFigures, EngineInfo, PackedSteps, FieldError, HardwareProfile, ExperimentSpec, EvalEvent, FeasibilityEvent, RunStart, RunSummary, PretrainProgress, HyperparameterDoc, ExperimentMeta, ExperimentStatus }

export interface StudioInfo {
  /** Product name shown to the user. */
  name: string
  /** App version (package.json). */
  version: string
  /** Reported by the engine worker itself. */
  engine: EngineInfo
  /** the folder holding experiments and user profiles */
  dataDir: string
  /** worker threads that run simulations at once (the machine's cores) */
  workers: number
  /** set when the data folder could not be written at startup (full disk, read-only): what and why, in words */
  storageProblem?: string
}

// ---- Devices -------------------------------------------------------------------------------------------

export interface ProfileEntry {
  profile: HardwareProfile
  /** presets ship with the studio and are read-only; user profiles live in the data folder */
  origin: 'preset' | 'user'
  /** the library table's figures, computed by the engine (peak MACs by the profile's own cost model) */
  figures: KeyFigures
}

/** What the device editor offers in its menus: the value sets of the profile schema and of each cost model's compute block. */
export type ProfileCatalog = ProfileEnums

/** A value beyond any real part of the profile's class: the field, the message, the limit and its public source. */
export interface ProfileWarning { path: string; message: string; limit: number; source: string }

/** The result of checking (or saving) a profile: the parsed profile (with physical-limit warnings), or every error with its field path. */
export type ProfileCheck = { ok: true; profile: HardwareProfile; warnings?: ProfileWarning[] } | { ok: false; errors: FieldError[] }

// ---- Experiments ---------------------------------------------------------------------------------------

export interface AlgorithmInfo {
  id: string
  label: string
  /** paper or source, and what is reconstruction */
  reference: string
  defaults: Record<string, unknown>
  hyperparameters: HyperparameterDoc[]
  usesGradientFormat: boolean
}

/** Everything the experiment form offers, from the engine's registries (nothing hard-coded in the window). */
export interface ExperimentCatalog {
  /** the built-in default experiment, every field filled in */
  defaults: ExperimentSpec
  /** each data set with the task settings the form switches to when it is chosen (experiment/dataset-defaults.ts) */
  datasets: { id: ExperimentSpec['data']['dataset']; label: string; defaults: Pick<ExperimentSpec, 'data' | 'model' | 'pretrain'> }[]
  corruptions: { id: string; description: string; severity: string }[]
  models: { id: string; description: string; inputShape: number[]; classes: number }[]
  algorithms: AlgorithmInfo[]
  formats: { bits: { min: number; max: number }; accumulatorBits: number[]; rounding: string[]; accumulatorOverflow: string[]; weightGranularity: string[] }
  /** a one-line explanation per spec field path (data.shots, formats.rounding, …), shown as tooltips */
  fieldDocs: Record<string, string>
}

/** A valid experiment also says what it will run: its planned runs, with the format changes per device. */
export type ExperimentCheck = { ok: true; spec: ExperimentSpec; plan: PlannedRun[] } | { ok: false; errors: FieldError[] }

/** How long an experiment will take on this machine (measured trial steps), or why it cannot say. */
export type ExperimentEstimateResult = ({ ok: true } & ExperimentEstimate) | { ok: false; errors: FieldError[] }
export type StartExperimentResult = { ok: true; id: string } | { ok: false; errors: FieldError[] }

// ---- Runs ----------------------------------------------------------------------------------------------

/** The state of one run (one algorithm on the task) of an experiment (the store keeps one experiment per folder). */
export type RunStatus = 'queued' | 'running' | 'finished' | 'cancelled' | 'failed' | 'interrupted'

export interface PretrainState {
  cached: boolean
  progress?: PretrainProgress
  sourceAccuracy?: number
  cleanTestAccuracy?: number
}

/** What is new (a push) or everything so far (getExperiment) about one algorithm run. */
export interface RunUpdate {
  run: number
  status?: RunStatus
  error?: string
  start?: RunStart
  feasibility?: FeasibilityEvent[]
  steps?: PackedSteps
  evals?: EvalEvent[]
  summary?: RunSummary
}

/** A push from the main process (onExperimentUpdate), at most every EXPERIMENT_UPDATE_INTERVAL_MS per experiment. */
export interface ExperimentUpdate {
  id: string
  /**
   * Pushes of one experiment are numbered 1, 2, …; getExperiment's record carries the number of the last push
   * its data includes, so a window that subscribed first and fetched second drops pushes with seq <= it.
   */
  seq: number
  /** present when the experiment's status or times changed */
  meta?: ExperimentMeta
  /** the phase before its runs start ('queued': waiting for a free worker, nothing prepared yet) */
  stage?: 'queued' | 'preparing' | 'running' | 'ended'
  pretrain?: PretrainState
  runs: RunUpdate[]
}

export interface ExperimentListItem {
  meta: ExperimentMeta
  /** the labels of its runs */
  runs: string[]
  profiles: string[]
  /** per algorithm run, once it ended */
  results: { label: string; zeroShotAccuracy: number; finalAccuracy: number; peakBytes: number }[]
}

/** A whole experiment: its spec and everything it recorded, in the same shape as the pushes. */
export interface ExperimentRecord {
  meta: ExperimentMeta
  spec: ExperimentSpec
  /** the spec's profiles as parsed when it started, in spec order */
  profiles: HardwareProfile[]
  /** its runs as planned: one per run of the spec and distinct device formats, with their devices */
  plan: PlannedRun[]
  /** the accumulated updates (one RunUpdate per algorithm run) */
  update: ExperimentUpdate
}

// ---- Sweeps ------------------------------------------------------------------------------------------

export type SweepStatus = 'running' | 'finished' | 'cancelled' | 'failed' | 'interrupted'

export interface SweepMeta {
  id: string
  name: string
  /** ISO 8601 */
  createdAt: string
  status: SweepStatus
  /** the process running it; see recover() */
  pid: number
  endedAt?: string
  error?: string
  trials: number
  trainings: number
  devices: number
}

export interface SweepProgress {
  /** trainings finished (including those of an earlier session) of `total` */
  done: number
  total: number
  /** finished in an earlier session and not recomputed */
  skipped: number
  elapsedSeconds: number
  /** at this session's pace */
  etaSeconds?: number
  /** the training that finished last */
  last?: string
}

/** A push: progress while it runs, the meta when its status changes. */
export interface SweepUpdate { id: string; meta?: SweepMeta; progress?: SweepProgress }

export interface SweepListItem { meta: SweepMeta; progress?: SweepProgress }

export type SweepCheck = { ok: true; trials: number; trainings: number; devices: string[] } | { ok: false; errors: FieldError[] }

/** A sweep with everything computed from its folder: rows, the ranking under its constraints, per-device detail. */
export interface SweepRecord { meta: SweepMeta; spec: unknown; report: SweepReport; progress?: SweepProgress }

/** The exported report: the HTML page, the CSV and JSON of every trial, and the PDF's bytes. */
export interface SweepExport { name: string; html: string; csv: string; json: string; pdf: Uint8Array }

// ---- Loss landscape ----------------------------------------------------------------------------------

/**
 * A loss landscape study (docs/landscape.md): an experiment (as the form or the history holds it), two of its
 * planned runs (indices into its plan, usually backprop and a zeroth-order run), the directions, the grid.
 */
export interface LandscapeRequest {
  experiment: Record<string, unknown>
  runs: [number, number]
  /** 'updates': the two runs' net weight changes; 'random': filter-normalised Gaussian directions */
  directions: 'updates' | 'random'
  grid: GridSpec
  /** test samples of the evaluation batch (each grid point is one forward pass of them) */
  evalSamples: number
  /** recorded steps per run, evenly spaced, plus step 0 */
  snapshots: number
}

export type StartLandscapeResult = { ok: true; id: string } | { ok: false; errors: FieldError[] }

export type LandscapeStatus = 'preparing' | 'running' | 'finished' | 'cancelled' | 'failed'

/** A push about one study: progress while it runs, then its outcome (the result, or why not). */
export interface LandscapeUpdate {
  id: string
  status: LandscapeStatus
  progress?: StudyProgress
  result?: LandscapeStudy
  error?: string
}

/** window.api: one method per IPC message (see src-main/ipc/channels.ts). */
export interface StudioApi {
  getStudioInfo(): Promise<StudioInfo>

  listProfiles(): Promise<ProfileEntry[]>
  /** the value sets the editor's menus offer, from the engine's schemas */
  getProfileCatalog(): Promise<ProfileCatalog>
  /** validates without saving (inline messages in the editor) */
  checkProfile(raw: unknown): Promise<ProfileCheck>
  /** validates and, only if valid, saves as a user profile; a preset's id is refused */
  saveProfile(raw: unknown): Promise<ProfileCheck>
  deleteProfile(id: string): Promise<void>

  getExperimentCatalog(): Promise<ExperimentCatalog>
  checkExperiment(raw: unknown): Promise<ExperimentCheck>
  /** times the experiment's runs on this machine (a trial step each, in a worker) and schedules them on the pool */
  estimateExperiment(raw: unknown): Promise<ExperimentEstimateResult>

  /** validates, stores, and queues every algorithm run; user profile ids are stored as whole profiles */
  startExperiment(raw: unknown): Promise<StartExperimentResult>
  /** true if it was preparing, queued or running */
  cancelExperiment(id: string): Promise<boolean>
  listExperiments(): Promise<ExperimentListItem[]>
  getExperiment(id: string): Promise<ExperimentRecord>
  deleteExperiment(id: string): Promise<void>

  /** the built-in default sweep, every field filled in as the form starts from it */
  getSweepDefaults(): Promise<unknown>
  /** validates a sweep spec: errors by field, or how many trials and trainings it makes */
  checkSweep(raw: unknown): Promise<SweepCheck>
  startSweep(raw: unknown): Promise<{ ok: true; id: string } | { ok: false; errors: FieldError[] }>
  /** runs what a cancelled, failed or interrupted sweep lacks; false if it is running or finished */
  resumeSweep(id: string): Promise<boolean>
  cancelSweep(id: string): Promise<boolean>
  listSweeps(): Promise<SweepListItem[]>
  getSweep(id: string): Promise<SweepRecord>
  /** the ranking and report data under other constraints (the stored sweep is unchanged) */
  selectDevices(id: string, constraints: unknown): Promise<SweepReport>
  exportSweep(id: string, constraints: unknown): Promise<SweepExport>
  deleteSweep(id: string): Promise<void>
  onSweepUpdate(listener: (update: SweepUpdate) => void): () => void

  /** validates the request and starts the study in a worker (after preparing the experiment in one); progress and result as pushes */
  startLandscape(request: LandscapeRequest): Promise<StartLandscapeResult>
  /** true if the study was still going (it ends as cancelled) */
  cancelLandscape(id: string): Promise<boolean>
  onLandscapeUpdate(listener: (update: LandscapeUpdate) => void): () => void

  /** live metrics of every active run; returns a function that unsubscribes */
  onExperimentUpdate(listener: (update: ExperimentUpdate) => void): () => void
}
