import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

/**
 * The one Vitest configuration every project uses: path aliases from tsconfig, the real
 * PostgreSQL global setup, and timeouts sized for starting real servers (not for performance).
 */
const reportName = (projectDir: string) =>
  relative(fileURLToPath(new URL('.', import.meta.url)), projectDir).replaceAll('/', '-');

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
              // apps/scoring and libs/scoring must not share a report: name it by the project's path.
              new URL(`./.test-results/${reportName(projectDir)}.json`, import.meta.url),
            ),
          },
        ],
      ],
    },
  });
}
