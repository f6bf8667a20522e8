// Page object for the studio shell. Specs use these locators instead of raw selectors.
import type { Locator, Page } from '@playwright/test'
import type { StudioApi, StudioInfo } from '../../src-main/preload/api'

export const SECTIONS_NOT_YET_AVAILABLE = ['devices', 'experiment', 'dashboard', 'history'] as const

export class StudioPage {
  readonly title: Locator
  readonly nav: Locator
  readonly info: Locator
  readonly infoError: Locator
  readonly appName: Locator
  readonly version: Locator
  readonly engineVersion: Locator
  readonly engineApi: Locator
  readonly engineRuntime: Locator

  constructor(readonly page: Page) {
    const id = (t: string) => page.getByTestId(t)
    this.title = id('app-title')
    this.nav = id('nav')
    this.info = id('studio-info')
    this.infoError = id('studio-info-error')
    this.appName = id('info-name')
    this.version = id('info-version')
    this.engineVersion = id('info-engine-version')
    this.engineApi = id('info-engine-api')
    this.engineRuntime = id('info-engine-runtime')
  }

  navItem(section: string): Locator {
    return this.nav.getByTestId(`nav-${section}`)
  }

  /** Calls window.api in the page, as renderer code would. */
  callApi<K extends keyof StudioApi>(method: K, ...args: unknown[]): Promise<Awaited<ReturnType<StudioApi[K]>>> {
    return this.page.evaluate(
      ([m, a]) => {
        // No DOM lib in the node tsconfig: reach window through globalThis.
        const api = (globalThis as unknown as { api: Record<string, (...x: unknown[]) => Promise<unknown>> }).api
        return api[m](...a)
      },
      [method, args] as const,
    ) as Promise<Awaited<ReturnType<StudioApi[K]>>>
  }

  getStudioInfo(): Promise<StudioInfo> {
    return this.callApi('getStudioInfo')
  }
}
