/**
 * Buildah run as the lab-builder pod's image-building containers run it (scripts/lib/up/renderers/pod-template.ts
 * ROOTLESS_BUILD_SECURITY_CONTEXT): a non-root user with /etc/subuid and /etc/subgid ranges, whose
 * capability bounding set holds only what the securityContext adds (SETUID, SETGID), no
 * no_new_privs (allowPrivilegeEscalation: true), and newuidmap/newgidmap with file capabilities
 * (as in the agent image and in quay.io/buildah/stable), with the pod's STORAGE_DRIVER and
 * BUILDAH_ISOLATION. Seccomp and AppArmor are not applied here: the pod runs Unconfined.
 *
 *   - run by root: `setpriv` drops to a user that has subordinate ids (.ci/run creates
 *     `cicd-lab-build`), bounds the capabilities as the pod does, and puts copies of
 *     newuidmap/newgidmap with file capabilities first on PATH;
 *   - run by a user with subordinate ids: as that user, with the system's newuidmap/newgidmap.
 * `unavailable` says why it cannot run here (the test skips with it).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ROOTLESS_BUILD_SECURITY_CONTEXT } from '../../scripts/lib/up/renderers/pod-template.js';
import { which } from './tools.js';

export interface RootlessBuildah {
  /** Run buildah with these arguments in `cwd`, as the build pod would. */
  run(args: string[], cwd: string): { status: number; stdout: string; stderr: string };
  /** A folder the build user owns, for the build context and the storage. */
  work: string;
  /** Who builds: "cicd-lab-build (uid 1001), bounding set setuid,setgid" */
  who: string;
  /** Hand a file or folder the test made in `work` to the build user (what it must write to). */
  give(path: string): void;
  cleanup(): void;
}

const subIdUsers = (file: string) =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .map((l) => l.split(':')[0])
        .filter(Boolean)
    : [];

function passwd(): { name: string; uid: number; gid: number }[] {
  return readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(':'))
    .map((f) => ({ name: f[0], uid: Number(f[2]), gid: Number(f[3]) }));
}

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  if (statSync(path).isDirectory()) for (const entry of readdirSync(path)) chownTree(join(path, entry), uid, gid);
}

/** The pod's environment for the buildah container (STORAGE_DRIVER, BUILDAH_ISOLATION). */
export const POD_ENV = { STORAGE_DRIVER: 'vfs', BUILDAH_ISOLATION: 'chroot' };

export function rootlessBuildah(): RootlessBuildah | { unavailable: string } {
  if (process.platform !== 'linux') return { unavailable: 'needs Linux' };
  const buildah = which('buildah');
  if (!buildah) return { unavailable: 'buildah is not installed (apt-get install buildah)' };
  const ctx = ROOTLESS_BUILD_SECURITY_CONTEXT;
  const withIds = new Set(subIdUsers('/etc/subuid').filter((u) => subIdUsers('/etc/subgid').includes(u)));
  const me = userInfo();
  const base = { ...process.env, ...POD_ENV };

  if (me.uid !== 0) {
    if (!withIds.has(me.username)) return { unavailable: `the user ${me.username} has no /etc/subuid and /etc/subgid ranges (sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 ${me.username})` };
    const work = mkdtempSync(join(tmpdir(), 'cicd-lab-rootless-'));
    for (const d of ['run', 'tmp']) mkdirSync(join(work, d), { mode: 0o700 });
    // Storage (HOME), run root (XDG_RUNTIME_DIR) and temporary files inside the test's folder: nothing stays behind.
    const env = { ...base, HOME: join(work, 'home'), XDG_RUNTIME_DIR: join(work, 'run'), TMPDIR: join(work, 'tmp') };
    return {
      work,
      who: `${me.username} (uid ${me.uid}), the capabilities of this session`,
      give: () => {},
      run: (args, cwd) => {
        const r = spawnSync(buildah, args, { cwd, env, encoding: 'utf8' });
        return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
      },
      // Layers may hold files of the namespace's other ids: remove them from inside it.
      cleanup: () => {
        spawnSync(buildah, ['unshare', 'rm', '-rf', work], { env });
        rmSync(work, { recursive: true, force: true });
      },
    };
  }

  const user = passwd().find((u) => u.uid !== 0 && withIds.has(u.name));
  if (!user) return { unavailable: 'no non-root user with /etc/subuid and /etc/subgid ranges to build as (.ci/run creates cicd-lab-build: useradd -m cicd-lab-build, which adds the ranges)' };
  const setpriv = which('setpriv');
  const setcap = which('setcap') ?? ['/usr/sbin/setcap', '/sbin/setcap'].find(existsSync);
  const newuidmap = ['/usr/bin/newuidmap', '/usr/bin/newgidmap'].every(existsSync);
  if (!setpriv || !setcap || !newuidmap) return { unavailable: 'needs setpriv (util-linux), setcap (libcap2-bin) and newuidmap/newgidmap (uidmap)' };
  const work = mkdtempSync(join(tmpdir(), 'cicd-lab-rootless-'));
  mkdirSync(join(work, 'home'));
  for (const d of ['run', 'tmp']) mkdirSync(join(work, d), { mode: 0o700 });
  chownTree(work, user.uid, user.gid);
  chmodSync(work, 0o755);
  // newuidmap/newgidmap as the pod's images ship them: file capabilities, not setuid root (set after
  // the chown above: changing a file's owner clears its capabilities).
  const bin = join(work, 'bin');
  mkdirSync(bin);
  for (const [tool, cap] of [['newuidmap', 'cap_setuid=ep'], ['newgidmap', 'cap_setgid=ep']]) {
    copyFileSync(`/usr/bin/${tool}`, join(bin, tool));
    chmodSync(join(bin, tool), 0o755);
    const r = spawnSync(setcap, [cap, join(bin, tool)], { encoding: 'utf8' });
    if (r.status !== 0) {
      rmSync(work, { recursive: true, force: true });
      return { unavailable: `setcap ${cap} failed: ${r.stderr.trim()}` };
    }
  }
  const bounding = ['-all', ...ctx.capabilities.add.map((c) => `+${c.toLowerCase()}`)].join(',');
  const nnp = ctx.allowPrivilegeEscalation ? [] : ['--no-new-privs'];
  // The build user's own environment: root's XDG folders are not its.
  // Storage (HOME), run root (XDG_RUNTIME_DIR) and temporary files inside the test's folder: nothing stays behind.
  const asUser: NodeJS.ProcessEnv = { ...base, HOME: join(work, 'home'), XDG_RUNTIME_DIR: join(work, 'run'), TMPDIR: join(work, 'tmp'), USER: user.name, LOGNAME: user.name, PATH: `${bin}:${process.env.PATH}` };
  for (const key of ['XDG_DATA_HOME', 'XDG_CONFIG_HOME']) delete asUser[key];
  return {
    work,
    who: `${user.name} (uid ${user.uid}), capability bounding set ${ctx.capabilities.add.join(', ')}`,
    give: (path) => chownTree(path, user.uid, user.gid),
    run: (args, cwd) => {
      const r = spawnSync(setpriv, [...nnp, `--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--inh-caps=-all', `--bounding-set=${bounding}`, buildah, ...args], {
        cwd,
        env: asUser,
        encoding: 'utf8',
      });
      return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    cleanup: () => {
      rmSync(work, { recursive: true, force: true });
      // Buildah also makes /tmp/containers-user-<uid>/containers whatever XDG_RUNTIME_DIR says: remove it when empty.
      for (const dir of [`/tmp/containers-user-${user.uid}/containers`, `/tmp/containers-user-${user.uid}`]) {
        try {
          rmdirSync(dir);
        } catch {
          // not empty (in use by another build), or not there
        }
      }
    },
  };
}
