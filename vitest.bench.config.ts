// `npm run bench`: throughput of the engine, measured and printed, never asserted (speed is not a test).
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['simulators/**/*.bench.ts'],
    environment: 'node',
    testTimeout: 600_000,
    disableConsoleIntercept: true,
    fileParallelism: false,
  },
})
