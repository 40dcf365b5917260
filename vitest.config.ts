import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts', '**/*.test.tsx'],
    exclude: ['node_modules/**', 'dist/**', 'cdk.out/**', '.data/**'],
    environment: 'node',
    reporters: ['default', './test/summary-reporter.ts'],
    setupFiles: ['./test/support/setup.ts'],
    // Integration tests start DynamoDB Local (a JVM, up to START_LIMIT_MS of infra/local/dynamodb-local.ts) and
    // Chromium; give them room on a busy 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
