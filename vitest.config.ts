import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['node_modules/**', 'dist/**', 'cdk.out/**', '.data/**'],
    environment: 'node',
    reporters: ['default', './test/summary-reporter.ts'],
    setupFiles: ['./test/support/setup.ts'],
    // Integration tests start DynamoDB Local (a JVM) and Chromium; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
