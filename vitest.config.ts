import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: [
      'simulators/**/*.test.ts',
      'workers/**/*.test.ts',
      'src-main/**/*.test.ts',
      'src-renderer/**/*.test.ts',
      'scripts/**/*.test.ts',
      'cli/**/*.test.ts',
    ],
    environment: 'node',
    setupFiles: ['./vitest.setup.ts'],
    // Engine tests may run long numeric loops on a 2-core CI machine.
    testTimeout: 60_000,
  },
})
