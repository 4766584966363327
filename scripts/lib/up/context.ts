/**
 * What every step of `npm run up` is given: the pins, the platform's names, the machine it looks at
 * (read only), the runner it acts through, and where it writes. `liveContext()` (live-context.ts)
 * builds the real one; the kit tests build one over a fake machine (test/lib/fake-platform.ts).
 */
import { join } from 'node:path';
import type { Lang } from '../../../src/i18n.js';
import type { Runner } from '../exec.js';
import type { PlatformFull } from '../platform.js';
import type { Versions } from '../versions.js';
import type { Machine } from './machine.js';

export interface UpContext {
  versions: Versions;
  platform: PlatformFull;
  /** What the steps look at before they act. */
  machine: Machine;
  runner: Runner;
  /** The kube context of the lab cluster (kind-cicd-lab). */
  context: string;
  /** The Docker engine's architecture, for the Rollouts plugin binary. */
  arch: 'amd64' | 'arm64';
  root: string;
  env: NodeJS.ProcessEnv;
  lang: Lang;
  log: (line: string) => void;
  now: () => number;
}

/** Where generated, git-ignored files go (.lab/: credentials, values, caches). */
export const labDir = (ctx: Pick<UpContext, 'root'>) => join(ctx.root, '.lab');
export const cacheDir = (ctx: Pick<UpContext, 'root'>) => join(labDir(ctx), 'cache');
