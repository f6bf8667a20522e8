import { test, expect } from './fixtures/app'
import { StudioPage } from './pages/studio.page'
import { ENGINE_API_VERSION, ENGINE_VERSION } from '../workers/engine-api'
import pkg from '../package.json' with { type: 'json' }

test('the studio opens on the default experiment; About shows info from the engine worker thread', async ({ appPage, consoleErrors }, testInfo) => {
  const studio = new StudioPage(appPage)

  await expect(studio.title).toHaveText('Lastmile Studio')
  await expect(studio.navItem('experiment')).toHaveAttribute('aria-current', 'page')
  await expect(studio.id('exp-steps')).toHaveValue('150') // the built-in default experiment
  await expect(studio.id('run-experiment')).toBeEnabled()

  // These values travel renderer -> preload -> IPC handler -> engine worker_thread and back.
  await appPage.keyboard.press('Control+6')
  await expect(studio.navItem('about')).toHaveAttribute('aria-current', 'page')
  await expect(studio.appName).toHaveText('Lastmile Studio')
  await expect(studio.version).toHaveText(pkg.version)
  await expect(studio.engineVersion).toHaveText(ENGINE_VERSION)
  await expect(studio.engineApi).toHaveText(`v${ENGINE_API_VERSION}`)
  await expect(studio.engineRuntime).toHaveText('worker')

  // keyboard: every section by Ctrl+n; the theme by Ctrl+Shift+L
  for (const [key, section] of [['1', 'experiment'], ['2', 'dashboard'], ['3', 'sweep'], ['4', 'history'], ['5', 'devices'], ['7', 'landscape']] as const) {
    await appPage.keyboard.press(`Control+${key}`)
    await expect(studio.navItem(section)).toHaveAttribute('aria-current', 'page')
  }
  const theme = () => appPage.evaluate(() => (globalThis as unknown as { document: { documentElement: { dataset: { theme?: string } } } }).document.documentElement.dataset.theme)
  // following the system (the default): the OS switching to dark switches the studio
  expect(await theme()).toBe('light')
  await appPage.emulateMedia({ colorScheme: 'dark' })
  await expect.poll(theme).toBe('dark')
  await appPage.emulateMedia({ colorScheme: 'light' })
  await expect.poll(theme).toBe('light')
  await appPage.keyboard.press('Control+Shift+L') // system -> light
  expect(await theme()).toBe('light')
  await appPage.keyboard.press('Control+Shift+L')
  expect(await theme()).toBe('dark')
  await appPage.keyboard.press('Control+1')
  await studio.shot('experiment-dark', testInfo)

  expect(consoleErrors).toEqual([])
})

test('IPC input is validated by the main process and the error reaches the renderer', async ({ appPage }) => {
  const studio = new StudioPage(appPage)
  const info = await studio.getStudioInfo()
  expect(info.engine).toEqual({ runtime: 'worker', engineVersion: ENGINE_VERSION, apiVersion: ENGINE_API_VERSION, kernelBackends: [{ id: 'typescript', label: 'TypeScript (exact, portable)' }, { id: 'wasm-simd', label: 'WebAssembly SIMD (exact; TypeScript where not covered)' }] })

  await expect(studio.callApi('getStudioInfo', 'unexpected')).rejects.toThrow('studio:info: invalid arguments: expected no arguments, got 1')
  await expect(studio.callApi('getExperiment', '../../etc/passwd')).rejects.toThrow('experiments:get: invalid arguments: expected an experiment id')
  await expect(studio.callApi('deleteProfile', 'nrf52840')).rejects.toThrow(/preset/)
})
