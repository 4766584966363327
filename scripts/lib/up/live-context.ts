/** Building the UpContext of a real run (or a dry run) of `up`, `prefetch`. */
import { arch as osArch } from 'node:os';
import { endpoints } from '../../../src/collect/index.js';
import { detectLang } from '../../../src/i18n.js';
import { ROOT } from '../../../src/paths.js';
import { readCredentials } from '../../../src/platform.js';
import { liveRunner, type Runner } from '../exec.js';
import { platformFull } from '../platform.js';
import { versions } from '../versions.js';
import type { UpContext } from './context.js';
import { EmptyMachine, LiveMachine, type Machine } from './machine.js';

/** amd64 | arm64 from `docker info`'s Architecture (x86_64, aarch64) or Node's. */
export function normalizeArch(a: string): 'amd64' | 'arm64' {
  return ['aarch64', 'arm64'].includes(a) ? 'arm64' : 'amd64';
}

export async function dockerArch(runner: Runner): Promise<string | undefined> {
  const r = await runner({ cmd: 'docker', args: ['info', '--format', '{{.Architecture}}'] }).catch(() => undefined);
  return r && r.code === 0 ? r.stdout.trim() : undefined;
}

export async function liveContext(options: { env?: NodeJS.ProcessEnv; runner?: Runner; machine?: Machine; log?: (line: string) => void } = {}): Promise<UpContext> {
  const env = options.env ?? process.env;
  const runner = options.runner ?? liveRunner;
  const ep = endpoints(env);
  const seenArch = await dockerArch(runner);
  const machine = options.machine ?? (seenArch ? new LiveMachine(runner, platformFull.context, { registry: ep.registry, gitea: ep.gitea.url, jenkins: ep.jenkins.url, giteaAuth: readCredentials().gitea }) : new EmptyMachine());
  return {
    versions,
    platform: platformFull,
    machine,
    runner,
    context: platformFull.context,
    arch: normalizeArch(seenArch ?? osArch()),
    root: ROOT,
    env,
    lang: detectLang(env),
    log: options.log ?? ((line) => console.log(line)),
    now: Date.now,
  };
}
