/**
 * The sample app (labs/app, "hello-app"): a contract other parts build on — the labs deploy it,
 * the platform builds and pushes it as kind-registry:5000/hello-app:v1 and :v2, the learner's
 * Gitea repository lab/hello-app is seeded from this folder and its pipelines run `npm test` and
 * build the Dockerfile.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../src/paths.js';
import nodeModule from 'node:module';
import { needsPackages } from '../lib/os-packages.js';
import { rootlessBuildah, type RootlessBuildah } from '../lib/rootless-buildah.js';
import { npmCacheMount, standInMissing, writeStandInBase } from '../lib/app-image.js';

const APP = join(ROOT, 'labs', 'app');
const versions = JSON.parse(readFileSync(join(ROOT, 'versions.json'), 'utf8'));
const pkg = JSON.parse(readFileSync(join(APP, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(APP, 'package-lock.json'), 'utf8'));
const kitPkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const dockerfile = readFileSync(join(APP, 'Dockerfile'), 'utf8');

describe('hello-app (labs/app)', () => {
  it('depends on one package, the PostgreSQL client postgres — locked, with no dependencies or install scripts of its own — and npm test is node --test', () => {
    expect(Object.keys(pkg.dependencies ?? {})).toEqual(['postgres']);
    expect(pkg.devDependencies ?? {}).toEqual({});
    expect(lock.packages[''].dependencies).toEqual(pkg.dependencies);
    const installed = Object.entries(lock.packages as Record<string, any>).filter(([path]) => path !== '');
    expect(installed.map(([path]) => path)).toEqual(['node_modules/postgres']);
    for (const [path, entry] of installed) {
      expect(entry.integrity, path).toMatch(/^sha512-/);
      expect(entry.hasInstallScript, path).toBeUndefined();
      expect(entry.dependencies ?? {}, path).toEqual({});
    }
    expect(pkg.scripts.test).toMatch(/^node --test\b/);
    expect(pkg.scripts.start).toBe('node src/server.js');
  });

  it('is tested here with the client version its lock pins (the kit\'s devDependency, which the app\'s tests resolve from the repository)', () => {
    const pinned = lock.packages['node_modules/postgres'].version;
    expect(kitPkg.devDependencies.postgres).toBe(pinned);
    expect(JSON.parse(readFileSync(join(ROOT, 'node_modules/postgres/package.json'), 'utf8')).version).toBe(pinned);
  });

  it('passes its own unit tests (npm test), the shop\'s against a real PostgreSQL where one is installed', () => {
    const r = spawnSync('npm', ['test'], { cwd: APP, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const summary = r.stdout.split('\n').filter((l) => /^# (tests|pass|fail|skipped)|# SKIP/.test(l));
    console.log(`labs/app npm test:\n${summary.join('\n')}`);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/^# fail 0$/m);
  }, 120_000);

  it('builds FROM the base image pinned in versions.json (images.app-base): a Dockerfile cannot read JSON', () => {
    const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    expect(froms).toEqual([versions.images['app-base']]);
  });

  it('installs its dependencies in the image with npm ci --omit=dev (a RUN step: every Jenkins lab\'s build runs a program in the image)', () => {
    // Buildah runs RUN steps in a user namespace with chroot isolation: the build pods' securityContext
    // exists for this (scripts/lib/up/renderers/pod-template.ts ROOTLESS_BUILD_SECURITY_CONTEXT).
    expect(dockerfile).toMatch(/^COPY package\.json package-lock\.json \.\/$/m);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev\b/m);
    expect(readFileSync(join(APP, '.dockerignore'), 'utf8')).toMatch(/^!package-lock\.json$/m);
  });

  it('bakes the build argument APP_VERSION in as the default APP_VERSION, listens on 8080 and runs as a non-root uid', () => {
    expect(dockerfile).toMatch(/^ARG APP_VERSION=\S+$/m);
    expect(dockerfile).toMatch(/APP_VERSION=\$\{APP_VERSION\}/);
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    expect(dockerfile).toMatch(/^EXPOSE 8080$/m);
  });
});

const cannotBuild = needsPackages('buildah') ?? standInMissing() ?? '';
const rootless = cannotBuild ? undefined : rootlessBuildah();
const noRootless = rootless && 'unavailable' in rootless ? rootless.unavailable : cannotBuild;

/**
 * Buildah as root with its storage in a folder of the test: how the image is built here when the
 * build pods' way (rootless, test/lib/rootless-buildah.ts) is not available on this machine.
 */
function rootBuildah(): RootlessBuildah {
  const work = mkdtempSync(join(tmpdir(), 'cicd-lab-app-image-'));
  return {
    work,
    who: 'root, with the storage in a folder of the test',
    give: () => {},
    run: (args, cwd) => {
      const r = spawnSync('buildah', ['--root', join(work, 'root'), '--runroot', join(work, 'runroot'), ...args], { cwd, encoding: 'utf8' });
      return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    cleanup: () => rmSync(work, { recursive: true, force: true }),
  };
}

/**
 * The real Dockerfile, built by Buildah the way the build pods build it: the solution's own
 * `buildah bud` line (from solutions/l2-pipeline/Jenkinsfile), run by a non-root user in a user
 * namespace it makes itself, with only the capabilities the pod template adds
 * (test/lib/rootless-buildah.ts) — or, where that is not available here, as root. Before the pod
 * template said so, Buildah ran as root without CAP_SYS_ADMIN and depended on the runtime's defaults
 * for the user namespace its RUN steps need.
 *
 * The base image cannot be pulled here (no internet), so a stand-in takes its name: this machine's
 * node and npm, FROM scratch (test/lib/app-image.ts), its npm installing from a cache of the locked
 * packages. What is checked is what the Dockerfile adds: the dependencies, the files, APP_VERSION,
 * the user, the command, and that its RUN steps run.
 */
describe.skipIf(Boolean(cannotBuild))(`the hello-app image, built from the real Dockerfile on a stand-in base${cannotBuild ? ` (skipped: ${cannotBuild})` : noRootless ? ` as root (rootless: ${noRootless})` : ', rootless, as the build pods build it'}`, () => {
  const rb: RootlessBuildah = rootless && !('unavailable' in rootless) ? rootless : rootBuildah();
  const tag = 'kind-registry:5000/hello-app:l2-7';
  let build: { status: number; stdout: string; stderr: string };
  let image: any;
  let container: string;
  let npmCache: string;
  const bah = (args: string[], cwd = rb.work) => {
    const r = rb.run(args, cwd);
    if (r.status !== 0) throw new Error(`buildah ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  const inContainer = (...args: string[]) => bah(['run', '--isolation', 'chroot', ...args]);

  beforeAll(() => {
    // The stand-in base, readable by the build user, and a copy of the npm cache it may write to.
    const base = join(rb.work, 'base');
    writeStandInBase(base);
    bah(['bud', '--isolation', 'chroot', '--storage-driver', 'vfs', '-q', '-t', `docker.io/library/${versions.images['app-base']}`, '-f', join(base, 'Containerfile'), base]);
    const cache = npmCacheMount(rb.work);
    rb.give(cache.dir);
    npmCache = cache.dir;
    expect(existsSync(join(npmCache, '_cacache'))).toBe(true);
    // The checked-out repository as the pipeline sees it (the files of labs/app that the build reads).
    const app = join(rb.work, 'app');
    mkdirSync(join(app, 'src'), { recursive: true });
    for (const f of ['Dockerfile', '.dockerignore', 'package.json', 'package-lock.json']) copyFileSync(join(APP, f), join(app, f));
    for (const f of readdirSync(join(APP, 'src'))) copyFileSync(join(APP, 'src', f), join(app, 'src', f));
    const jenkinsfile = readFileSync(join(ROOT, 'solutions/l2-pipeline/Jenkinsfile'), 'utf8');
    const line = /sh '(buildah bud [^']+)'/.exec(jenkinsfile)![1];
    const args = line.replaceAll('$IMAGE', 'kind-registry:5000/hello-app').replaceAll('$TAG', 'l2-7').replaceAll('"', '').split(/\s+/).slice(1);
    expect(args).toEqual(expect.arrayContaining(['--isolation', 'chroot', '--storage-driver', 'vfs', '-t', tag]));
    // Offline here: the base is the stand-in already in the storage.
    build = rb.run([args[0], '--pull=never', ...cache.args, ...args.slice(1)], app);
    console.log(`build of the image as ${rb.who}: exit ${build.status}`);
    expect(build.status, build.stderr).toBe(0);
    image = JSON.parse(bah(['inspect', '--storage-driver', 'vfs', '--type', 'image', tag])).OCIv1;
    container = bah(['from', '--storage-driver', 'vfs', '--pull=never', '-q', tag]);
  }, 300_000);
  afterAll(() => rb.cleanup());

  it('runs the Dockerfile\'s RUN steps (npm ci, node) in the build', () => {
    expect(build.stdout).toMatch(/^STEP \d+\/\d+: RUN npm ci --omit=dev/m);
    expect(build.stdout).toMatch(/^added 1 package/m);
    expect(build.stdout).toMatch(/^STEP \d+\/\d+: RUN \["node"/m);
  });

  it.skipIf(Boolean(noRootless))(`runs them as a non-root user holding no capability but SETUID and SETGID${noRootless ? ` (skipped: ${noRootless})` : ''}`, () => {
    expect(build.stderr).not.toMatch(/single mapping|newuidmap/);
  });

  it('has APP_VERSION from the build argument, port 8080, user 1000:1000 and runs node src/server.js in /app', () => {
    expect(image.config.Env).toEqual(expect.arrayContaining(['APP_VERSION=l2-7', 'PORT=8080', 'NODE_ENV=production', 'NODE_COMPILE_CACHE=/app/.compile-cache']));
    expect(image.config.User).toBe('1000:1000');
    expect(image.config.Cmd).toEqual(['node', 'src/server.js']);
    expect(image.config.WorkingDir).toBe('/app');
    expect(Object.keys(image.config.ExposedPorts)).toEqual(['8080/tcp']);
  });

  it('holds package.json, its lock, src/ and the locked dependencies (no tests, no Jenkinsfile, no deploy files, no npm cache), and the compile cache its RUN step made', () => {
    const listing = inContainer('--storage-driver', 'vfs', container, '--', 'node', '-e', "const fs=require('fs');const walk=d=>fs.readdirSync(d,{withFileTypes:true}).flatMap(e=>e.isDirectory()?walk(d+'/'+e.name):[[d+'/'+e.name,fs.statSync(d+'/'+e.name).size]]);console.log(JSON.stringify(walk('/app')))");
    const all: [string, number][] = JSON.parse(listing);
    const cache = all.filter(([f]) => f.startsWith('/app/.compile-cache/'));
    const modules = all.filter(([f]) => f.startsWith('/app/node_modules/'));
    const files = all.filter(([f]) => !f.startsWith('/app/.compile-cache/') && !f.startsWith('/app/node_modules/'));
    // The stand-in base is this machine's Node.js: its compile cache exists from Node.js 22.1 on.
    if (typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function') expect(cache.length, 'files in /app/.compile-cache').toBeGreaterThan(0);
    else console.log(`Node.js ${process.version} has no module compile cache: the RUN step ran, its cache could not be seen here`);
    expect(files.map(([f]) => f).sort()).toEqual(['/app/package-lock.json', '/app/package.json', ...readdirSync(join(APP, 'src')).sort().map((f) => `/app/src/${f}`)]);
    for (const [f, size] of files) expect(size, f).toBe(statSync(join(APP, f.replace('/app/', ''))).size);
    // npm ci installed exactly the locked packages.
    const installed = [...new Set(modules.map(([f]) => /^\/app\/node_modules\/((?:@[^/]+\/)?[^/.][^/]*)\//.exec(f)?.[1]).filter(Boolean))];
    expect(installed.sort()).toEqual(Object.keys(lock.packages).filter((p) => p).map((p) => p.replace('node_modules/', '')).sort());
    const version = JSON.parse(inContainer('--storage-driver', 'vfs', container, '--', 'node', '-p', "JSON.stringify(require('/app/node_modules/postgres/package.json').version)"));
    expect(version).toBe(lock.packages['node_modules/postgres'].version);
    const bytes = (list: [string, number][]) => list.reduce((sum, [, size]) => sum + size, 0);
    console.log(`the app in the image: ${files.length} files, ${bytes(files)} bytes; node_modules ${bytes(modules)} bytes (on top of the base image)`);
    expect(bytes(files)).toBeLessThan(100_000);
    expect(bytes(modules)).toBeLessThan(2_000_000);
    // The RUN step emptied the npm cache it used (mounted here; /root/.npm in a real build), so none is left in a layer.
    expect(existsSync(join(npmCache, '_cacache'))).toBe(false);
  });

  it('runs as uid 1000 and answers with the version and colour baked in, and loads its PostgreSQL client', () => {
    // The server stops as soon as it says it listens (however long that takes on a busy machine).
    const script = [
      "const log = console.log; console.log = (...a) => { log(...a); if (/listening on/.test(a.join(' '))) process.exit(0); };",
      "setTimeout(() => { log('no listening line within 120 s'); process.exit(1); }, 120000).unref();",
      "console.log('uid', process.getuid());",
      "import('/app/src/shop.js').then(() => console.log('shop loaded')).then(() => import('/app/src/server.js'));",
    ].join(' ');
    const out = inContainer('--storage-driver', 'vfs', '--env', 'PORT=0', container, '--', 'node', '-e', script);
    expect(out).toMatch(/^uid 1000$/m);
    expect(out).toMatch(/^shop loaded$/m);
    expect(out).toMatch(/hello-app l2-7 \(\w+\) listening on :\d+/);
  });
});
