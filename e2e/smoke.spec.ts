import { mkdirSync } from 'node:fs'
import { test, expect } from './fixtures/app'
import { StudioPage, SECTIONS_NOT_YET_AVAILABLE } from './pages/studio.page'
import { ENGINE_API_VERSION, ENGINE_VERSION } from '../workers/engine-api'
import pkg from '../package.json' with { type: 'json' }

const screenshots = 'test-results/screenshots'

test('the shell loads and shows studio info from the engine worker thread', async ({ appPage, consoleErrors }) => {
  const studio = new StudioPage(appPage)

  await expect(studio.title).toHaveText('Lastmile Studio')
  await expect(studio.nav).toBeVisible()
  for (const section of SECTIONS_NOT_YET_AVAILABLE) {
    await expect(studio.navItem(section)).toBeDisabled()
    await expect(studio.navItem(section)).toContainText('Not yet available')
  }

  // These values travel renderer -> preload -> IPC handler -> engine worker_thread and back.
  await expect(studio.appName).toHaveText('Lastmile Studio')
  await expect(studio.version).toHaveText(pkg.version)
  await expect(studio.engineVersion).toHaveText(ENGINE_VERSION)
  await expect(studio.engineApi).toHaveText(`v${ENGINE_API_VERSION}`)
  await expect(studio.engineRuntime).toHaveText('worker')

  mkdirSync(screenshots, { recursive: true })
  await appPage.screenshot({ path: `${screenshots}/shell.png` })
  await appPage.emulateMedia({ colorScheme: 'dark' })
  await appPage.screenshot({ path: `${screenshots}/shell-dark.png` })

  expect(consoleErrors).toEqual([])
})

test('IPC input is validated by the main process and the error reaches the renderer', async ({ appPage }) => {
  const studio = new StudioPage(appPage)
  await expect(studio.engineRuntime).toHaveText('worker')

  const info = await studio.getStudioInfo()
  expect(info.engine).toEqual({ runtime: 'worker', engineVersion: ENGINE_VERSION, apiVersion: ENGINE_API_VERSION, kernelBackends: [{ id: 'typescript', label: 'TypeScript (exact, portable)' }] })

  await expect(studio.callApi('getStudioInfo', 'unexpected')).rejects.toThrow(
    'studio:info: invalid arguments: expected no arguments, got 1',
  )
})
