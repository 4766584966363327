/**
 * The operating-system packages some kit tests need, which npm cannot install: the one list, read by
 * the tests that skip without one, by the test command's setup (test/lib/global-setup.ts: one line
 * naming what is missing and the one command that installs it all; under CI=true a missing package
 * fails the run) and by .ci/run (`tsx test/lib/os-packages.ts missing` lists what to apt-get).
 *
 * Package names are Debian's (the devcontainer's and CI's distribution).
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { postgresMissing } from '../../labs/app/test/support/postgres.js';

export interface OsPackage {
  /** Debian package name. */
  name: string;
  /** What the kit tests use it for. */
  for: string;
  /** True when installed. */
  present: () => boolean;
}

const onPath = (command: string) => (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, command)));

export const OS_PACKAGES: readonly OsPackage[] = [
  { name: 'chromium', for: 'the docs and the class report in a real browser', present: () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium') },
  { name: 'postgresql', for: "hello-app's database mode and lab s5's SQL against a real server", present: () => !postgresMissing() },
  { name: 'groovy', for: 'the Jenkinsfiles read by the real Groovy parser', present: () => onPath('groovy') },
  { name: 'buildah', for: 'images built without a daemon and pushed to a real registry', present: () => onPath('buildah') },
  { name: 'docker-registry', for: 'the registry collector against a real registry', present: () => onPath('docker-registry') },
  { name: 'shellcheck', for: "the lab pages' shell blocks checked by ShellCheck", present: () => onPath('shellcheck') },
  { name: 'uidmap', for: 'hello-app built by rootless Buildah as the build pods build it (newuidmap/newgidmap)', present: () => existsSync('/usr/bin/newuidmap') && existsSync('/usr/bin/newgidmap') },
  { name: 'libcap2-bin', for: 'the rootless build with file capabilities on newuidmap/newgidmap, as the pods have them (setcap)', present: () => onPath('setcap') || existsSync('/usr/sbin/setcap') || existsSync('/sbin/setcap') },
];

/** The one command that installs every package of the list. */
export const INSTALL_ALL = `sudo apt-get install -y --no-install-recommends ${OS_PACKAGES.map((p) => p.name).join(' ')}`;

export function missingPackages(): OsPackage[] {
  return OS_PACKAGES.filter((p) => !p.present());
}

/**
 * Why a test needing these packages cannot run here (one line naming them and the one install
 * command), or undefined when they are all installed. Use with `describe.skipIf(Boolean(reason))`
 * and put the reason in the suite's name.
 */
export function needsPackages(...names: string[]): string | undefined {
  const unknown = names.filter((n) => !OS_PACKAGES.some((p) => p.name === n));
  if (unknown.length) throw new Error(`not in OS_PACKAGES (test/lib/os-packages.ts): ${unknown.join(', ')}`);
  const missing = OS_PACKAGES.filter((p) => names.includes(p.name) && !p.present()).map((p) => p.name);
  return missing.length ? `needs the OS package ${missing.join(' and ')}; install every one the kit tests use with: ${INSTALL_ALL}` : undefined;
}

// `tsx test/lib/os-packages.ts missing` prints the missing packages' names, one per line (.ci/run).
if (process.argv[1]?.endsWith('test/lib/os-packages.ts') && process.argv[2] === 'missing') {
  for (const p of missingPackages()) console.log(p.name);
}
