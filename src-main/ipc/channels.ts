// Every IPC channel name lives here, as `domain:verb`. The preload API is generated from PRELOAD_METHODS
// (renderer -> main, invoke/handle) and PRELOAD_EVENTS (main -> renderer pushes), and the e2e shim uses the
// same maps, so the renderer sees one shape whatever the transport.

export const Channels = {
  studioInfo: 'studio:info',
  profilesList: 'profiles:list',
  profilesCatalog: 'profiles:catalog',
  profilesCheck: 'profiles:check',
  profilesSave: 'profiles:save',
  profilesDelete: 'profiles:delete',
  experimentsCatalog: 'experiments:catalog',
  experimentsCheck: 'experiments:check',
  experimentsEstimate: 'experiments:estimate',
  experimentsStart: 'experiments:start',
  experimentsCancel: 'experiments:cancel',
  experimentsList: 'experiments:list',
  experimentsGet: 'experiments:get',
  experimentsDelete: 'experiments:delete',
  sweepsDefaults: 'sweeps:defaults',
  sweepsCheck: 'sweeps:check',
  sweepsStart: 'sweeps:start',
  sweepsResume: 'sweeps:resume',
  sweepsCancel: 'sweeps:cancel',
  sweepsList: 'sweeps:list',
  sweepsGet: 'sweeps:get',
  sweepsSelect: 'sweeps:select',
  sweepsExport: 'sweeps:export',
  sweepsDelete: 'sweeps:delete',
  landscapeStart: 'landscape:start',
  landscapeCancel: 'landscape:cancel',
} as const

export type Channel = (typeof Channels)[keyof typeof Channels]

/** window.api method name -> IPC channel. One method per channel. */
export const PRELOAD_METHODS = {
  getStudioInfo: Channels.studioInfo,
  listProfiles: Channels.profilesList,
  getProfileCatalog: Channels.profilesCatalog,
  checkProfile: Channels.profilesCheck,
  saveProfile: Channels.profilesSave,
  deleteProfile: Channels.profilesDelete,
  getExperimentCatalog: Channels.experimentsCatalog,
  checkExperiment: Channels.experimentsCheck,
  estimateExperiment: Channels.experimentsEstimate,
  startExperiment: Channels.experimentsStart,
  cancelExperiment: Channels.experimentsCancel,
  listExperiments: Channels.experimentsList,
  getExperiment: Channels.experimentsGet,
  deleteExperiment: Channels.experimentsDelete,
  getSweepDefaults: Channels.sweepsDefaults,
  checkSweep: Channels.sweepsCheck,
  startSweep: Channels.sweepsStart,
  resumeSweep: Channels.sweepsResume,
  cancelSweep: Channels.sweepsCancel,
  listSweeps: Channels.sweepsList,
  getSweep: Channels.sweepsGet,
  selectDevices: Channels.sweepsSelect,
  exportSweep: Channels.sweepsExport,
  deleteSweep: Channels.sweepsDelete,
  startLandscape: Channels.landscapeStart,
  cancelLandscape: Channels.landscapeCancel,
} as const satisfies Record<string, Channel>

/** Pushes from the main process. */
export const PushChannels = {
  experimentUpdate: 'experiments:update',
  sweepUpdate: 'sweeps:update',
  landscapeUpdate: 'landscape:update',
} as const

/** window.api subscription method -> push channel. Each returns an unsubscribe function. */
export const PRELOAD_EVENTS = {
  onExperimentUpdate: PushChannels.experimentUpdate,
  onSweepUpdate: PushChannels.sweepUpdate,
  onLandscapeUpdate: PushChannels.landscapeUpdate,
} as const

/** How often the main process sends one experiment's accumulated metrics to the window (8 per second at most; the dashboard asks for at least 4). */
export const EXPERIMENT_UPDATE_INTERVAL_MS = 125
