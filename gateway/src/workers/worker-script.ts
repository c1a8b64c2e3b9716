/**
 * Where a worker thread's script is. The gateway runs from `dist/`; under jest its sources run from `src/`
 * in-process (transformed as they load), and a worker thread cannot load TypeScript, so there it runs the `tsc -b`
 * output.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The script `relative` to the module at `base` (its `import.meta.url`), or its built twin under `gateway/dist/`. */
export function workerScript(relative: string, base: string): URL {
  const here = new URL(relative, base);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL(here.href.replace(/\/gateway\/src\//, '/gateway/dist/'));
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error(`worker script not found at ${fileURLToPath(here)}: run \`npx tsc -b\``);
}
