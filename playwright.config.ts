// e2e. Default: the built renderer served by `vite preview`, in Debian's Chromium (no Electron binary exists
// on dev/CI machines here), with the real preload + IPC handlers wired in by e2e/fixtures/app.ts.
// E2E_ELECTRON=1: the same specs against the real app via Playwright's _electron (needs an Electron binary).
import { defineConfig } from '@playwright/test'

const electron = process.env.E2E_ELECTRON === '1'
const baseURL = `http://127.0.0.1:${process.env.E2E_PORT ?? 4173}`

export default defineConfig({
  testDir: 'e2e',
  // Not test-results/ itself: Playwright empties its outputDir, which would delete the unit-test JSON
  // and the screenshots the specs save under test-results/screenshots.
  outputDir: 'test-results/playwright',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
    trace: 'retain-on-failure',
    launchOptions: {
      // Never `npx playwright install` (no download access): use the distro's Chromium.
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: electron
    ? undefined
    : {
        command: 'npm run --silent preview:web',
        url: baseURL,
        reuseExistingServer: !process.env.CI,
        timeout: 30_000,
      },
})
