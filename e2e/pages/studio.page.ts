// Page object for the studio. Specs use these locators and actions instead of raw selectors.
import { mkdirSync } from 'node:fs'
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test'
import type { StudioApi, StudioInfo } from '../../src-main/preload/api'

export const SCREENSHOTS = 'test-results/screenshots'
/** `LASTMILE_DOCS_SCREENSHOTS=1 npm run test:e2e` also refreshes the README's copies. */
const DOCS_SCREENSHOTS = 'docs/screenshots'

export type Section = 'experiment' | 'dashboard' | 'sweep' | 'history' | 'devices' | 'landscape' | 'about'

export class StudioPage {
  readonly title: Locator
  readonly nav: Locator
  readonly appName: Locator
  readonly version: Locator
  readonly engineVersion: Locator
  readonly engineApi: Locator
  readonly engineRuntime: Locator

  constructor(readonly page: Page) {
    const id = (t: string) => page.getByTestId(t)
    this.title = id('app-title')
    this.nav = id('nav')
    this.appName = id('info-name')
    this.version = id('info-version')
    this.engineVersion = id('info-engine-version')
    this.engineApi = id('info-engine-api')
    this.engineRuntime = id('info-engine-runtime')
  }

  id(testId: string): Locator {
    return this.page.getByTestId(testId)
  }

  navItem(section: Section): Locator {
    return this.nav.getByTestId(`nav-${section}`)
  }

  async goto(section: Section): Promise<void> {
    await this.navItem(section).click()
    await expect(this.navItem(section)).toHaveAttribute('aria-current', 'page')
  }

  /** Sets experiment form fields by spec path (`steps`, `data.shots`, …) and ticks devices. */
  async setupExperiment(fields: Record<string, string>, devices: string[] = []): Promise<void> {
    await this.goto('experiment')
    await expect(this.id('experiment-form')).toBeVisible()
    for (const [path, value] of Object.entries(fields)) {
      const input = this.id(`exp-${path}`)
      if ((await input.evaluate((el) => el.tagName)) === 'SELECT') await input.selectOption(value)
      else await input.fill(value)
    }
    for (const d of devices) await this.id(`exp-device-${d}`).check()
    await expect(this.id('run-experiment')).toBeEnabled()
  }

  /** Clicks Run and waits for the dashboard of the new run. */
  async run(): Promise<void> {
    await this.id('run-experiment').click()
    await expect(this.id('dashboard')).toBeVisible()
  }

  /** The number a `run-progress-<run>` label shows as done ("37 / 150" -> 37). */
  async stepsDone(run: number): Promise<number> {
    const text = (await this.id(`run-progress-${run}`).textContent()) ?? ''
    return Number(text.split('/')[0].trim())
  }

  /**
   * Saves a screenshot of the window. `tall`: the whole section from its top, by growing the window to the
   * section's height for the shot (the section scrolls inside the window, so a full-page shot would not).
   */
  async shot(name: string, testInfo: TestInfo, opts: { tall?: boolean } = {}): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true })
    const path = `${SCREENSHOTS}/${name}.png`
    const size = this.page.viewportSize()
    if (opts.tall && size) {
      const height = await this.id('main').evaluate((el) => { el.scrollTop = 0; return el.scrollHeight })
      await this.page.setViewportSize({ width: size.width, height: Math.min(height + 60, 3000) })
    }
    try {
      await this.page.screenshot({ path })
      await testInfo.attach(name, { path, contentType: 'image/png' })
      if (process.env.LASTMILE_DOCS_SCREENSHOTS === '1') {
        mkdirSync(DOCS_SCREENSHOTS, { recursive: true })
        await this.page.screenshot({ path: `${DOCS_SCREENSHOTS}/${name}.png` })
      }
    } finally {
      if (opts.tall && size) await this.page.setViewportSize(size)
    }
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
