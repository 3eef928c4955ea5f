import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file that says which `npm start` uses a data folder. */
export const LOCK_FILE = 'npm-start.pid';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One `npm start` per data folder: a second one would stop the first one's PostgreSQL and fight
 * over its ports. Takes the folder (its pid in `npm-start.pid`, created exclusively) or throws a
 * one-line message naming the other's pid; a lock left by a process that is gone is taken over.
 * Returns the release function.
 */
export function lockDataDir(dir: string): () => void {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o644 });
      return () => {
        try {
          if (Number(readFileSync(file, 'utf8').trim()) === process.pid) rmSync(file);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const other = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(other) && other > 0 && other !== process.pid && alive(other)) {
        throw new Error(
          `another npm start (pid ${other}) is using ${dir}; stop it first (Ctrl-C in its ` +
            `terminal, or kill ${other}), or give this one its own CHECKWIRE_DATA_DIR`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock ${dir}`);
}
