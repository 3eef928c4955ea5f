import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

/**
 * The one Vitest configuration every project uses: path aliases from tsconfig, the real
 * PostgreSQL global setup, and timeouts sized for starting real servers (not for performance).
 */
export function projectTestConfig(projectDir: string): ViteUserConfig {
  return defineConfig({
    root: projectDir,
    resolve: { tsconfigPaths: true },
    test: {
      include: ['src/**/*.spec.ts', 'test/**/*.test.ts'],
      globalSetup: [fileURLToPath(new URL('./libs/testing/src/global-setup.ts', import.meta.url))],
      testTimeout: 30_000,
      hookTimeout: 60_000,
      // Integration tests start servers; two cores run them one file at a time.
      fileParallelism: false,
      // The JSON report lets `npm test` print one "N passed, N failed" line for the whole run.
      reporters: [
        'default',
        [
          'json',
          {
            outputFile: fileURLToPath(
              new URL(`./.test-results/${basename(projectDir)}.json`, import.meta.url),
            ),
          },
        ],
      ],
    },
  });
}
