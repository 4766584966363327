/**
 * A stand-in for hello-app's base image (versions.json images.app-base, node on Alpine), for the
 * kit tests that build labs/app/Dockerfile with Buildah: the base cannot be pulled here (no
 * internet), so an image of the same name is made FROM scratch out of this machine's Node.js.
 *
 * It holds what the Dockerfile uses of the real base: node and npm (with the libraries node links),
 * a shell and `env` for the shell form of RUN and npm's `#!/usr/bin/env node`, the users root and
 * node (uid 1000) with their homes, and /tmp. Its npm has no registry to reach: a global npmrc
 * points it at a cache mounted into the build (`npmCacheMount`), holding what
 * labs/app/package-lock.json pins (test/lib/app-packages.ts), with `offline` on.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { APP_NPM_CACHE } from './app-packages.js';
import { which } from './tools.js';

const CACHE_IN_BUILD = '/npm-cache';

/** Why no stand-in can be made here, or undefined. */
export function standInMissing(): string | undefined {
  if (process.platform !== 'linux' || !which('ldd')) return 'needs Linux and ldd to make a stand-in base image';
  if (!npmDir()) return 'npm is not installed next to node';
  return undefined;
}

/** npm's own folder (…/lib/node_modules/npm), found from the npm on PATH. */
function npmDir(): string | undefined {
  const npm = which('npm');
  if (!npm) return undefined;
  const cli = realpathSync(npm);
  const dir = dirname(dirname(cli));
  return existsSync(join(dir, 'package.json')) ? dir : undefined;
}

/** Copy a program and the shared libraries it links (as ldd lists them) into the image's tree. */
function copyProgram(tree: string, program: string, as = program): void {
  mkdirSync(join(tree, dirname(as)), { recursive: true });
  copyFileSync(realpathSync(program), join(tree, as));
  chmodSync(join(tree, as), 0o755);
  for (const m of execFileSync(which('ldd')!, [program], { encoding: 'utf8' }).matchAll(/(\/\S+) \(0x/g)) {
    mkdirSync(join(tree, dirname(m[1])), { recursive: true });
    copyFileSync(m[1], join(tree, m[1]));
  }
}

/**
 * Write the stand-in's tree and its Containerfile into `dir`. Build it with
 * `buildah bud -t docker.io/library/<app-base> -f <dir>/Containerfile <dir>`.
 */
export function writeStandInBase(dir: string): void {
  const node = process.execPath;
  copyProgram(dir, node);
  copyProgram(dir, '/bin/sh', '/bin/sh');
  copyProgram(dir, which('env') ?? '/usr/bin/env', '/usr/bin/env');
  const npm = npmDir()!;
  cpSync(npm, join(dir, npm), { recursive: true });
  const link = join(dir, dirname(node), 'npm');
  if (!existsSync(link)) symlinkSync(relative(dirname(node), join(npm, 'bin', 'npm-cli.js')), link);
  mkdirSync(join(dir, 'etc'), { recursive: true });
  writeFileSync(join(dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n');
  writeFileSync(join(dir, 'etc/group'), 'root:x:0:\nnode:x:1000:\n');
  // npm's global configuration (<prefix>/etc/npmrc, the prefix being node's folder's parent).
  const npmrc = join(dir, dirname(dirname(node)), 'etc', 'npmrc');
  mkdirSync(dirname(npmrc), { recursive: true });
  writeFileSync(npmrc, `cache=${CACHE_IN_BUILD}\noffline=true\nupdate-notifier=false\n`);
  for (const d of ['root', 'home/node', 'tmp']) mkdirSync(join(dir, d), { recursive: true });
  chmodSync(join(dir, 'tmp'), 0o1777);
  writeFileSync(join(dir, 'Containerfile'), `FROM scratch\nCOPY . /\nENV PATH=${dirname(node)}:/usr/bin:/bin\n`);
}

/**
 * A writable copy of the app's npm cache in `into`, and the buildah option that mounts it where the
 * stand-in's npm looks (the build's RUN steps may write to it: `npm cache clean`).
 */
export function npmCacheMount(into: string): { dir: string; args: string[] } {
  const dir = join(into, 'npm-cache');
  cpSync(APP_NPM_CACHE, dir, { recursive: true });
  return { dir, args: ['--volume', `${dir}:${CACHE_IN_BUILD}`] };
}
