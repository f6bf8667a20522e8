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
  experimentCatalog: 'experiment:catalog',
  experimentCheck: 'experiment:check',
  runsStart: 'runs:start',
  runsCancel: 'runs:cancel',
  runsList: 'runs:list',
  runsGet: 'runs:get',
  runsDelete: 'runs:delete',
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
  getExperimentCatalog: Channels.experimentCatalog,
  checkExperiment: Channels.experimentCheck,
  startRun: Channels.runsStart,
  cancelRun: Channels.runsCancel,
  listRuns: Channels.runsList,
  getRun: Channels.runsGet,
  deleteRun: Channels.runsDelete,
} as const satisfies Record<string, Channel>

/** Pushes from the main process. */
export const PushChannels = {
  runUpdate: 'runs:update',
} as const

/** window.api subscription method -> push channel. Each returns an unsubscribe function. */
export const PRELOAD_EVENTS = {
  onRunUpdate: PushChannels.runUpdate,
} as const

/** How often the main process sends one experiment run's accumulated metrics to the window (8 per second at most; the dashboard asks for at least 4). */
export const RUN_UPDATE_INTERVAL_MS = 125
