// Every IPC channel name lives here, as `domain:verb`. The preload API is generated from PRELOAD_METHODS,
// and the e2e shim uses the same map, so the renderer sees one shape whatever the transport.

export const Channels = {
  studioInfo: 'studio:info',
} as const

export type Channel = (typeof Channels)[keyof typeof Channels]

/** window.api method name -> IPC channel. One method per channel. */
export const PRELOAD_METHODS = {
  getStudioInfo: Channels.studioInfo,
} as const satisfies Record<string, Channel>
