#!/usr/bin/env -S npx tsx
/**
 * npm run tools [-- --dir <folder>] [--dry-run]
 *
 * Installs the command-line tools the platform needs, at the versions of versions.json: kind
 * (tools.kind), kubectl at the cluster's own Kubernetes version (the tag of kind.nodeImage, so that
 * kubectl stays within one minor of the API server), Helm (tools.helm) and the `kubectl argo rollouts`
 * plugin (tools.kubectl-argo-rollouts, the release of the Rollouts controller the platform runs).
 * Each download is checked against the checksum file its project publishes with it; GitHub release
 * assets and dl.k8s.io answer with a redirect to a CDN, which both the download and the checksum
 * fetch follow. The devcontainer runs this on create.
 *
 * Options:
 *   --dir <folder>   where to put the binaries (default ~/.local/bin; add it to PATH)
 *   --dry-run        print the downloads, do nothing
 * Environment: LAB_LANG ko | en.
 * Exit: 0 installed · 1 a download or checksum failed · 2 bad input or unsupported OS/arch.
 *
 * The URLs are tested, and installTool() is tested against a local server that redirects like
 * GitHub and dl.k8s.io; the real downloads run in the devcontainer and the e2e workflow.
 */
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { arch as osArch, homedir, platform as osPlatform, tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { LabError, runMain } from '../src/errors.js';
import { detectLang, L, t, type Localized } from '../src/i18n.js';
import { DOWNLOAD_REDIRECTS, request } from '../src/http.js';
import { parseOptions } from './lib/options.js';
import { download } from './lib/download.js';
import { liveRunner, must } from './lib/exec.js';
import { clusterKubernetesVersion, versions, type Versions } from './lib/versions.js';
import { printHelp, wantsHelp } from './lib/help.js';

export interface ToolDownload {
  /** The command's file name in the install folder (`kubectl-argo-rollouts` is what `kubectl argo rollouts` runs). */
  name: 'kind' | 'kubectl' | 'helm' | 'kubectl-argo-rollouts';
  version: string;
  url: string;
  checksumUrl: string;
  /** For a checksum file that lists several files: the name of this one's line. */
  checksumEntry?: string;
  /** For archives: the path of the binary inside. */
  inArchive?: string;
}

export function toolDownloads(os: 'linux' | 'darwin', arch: 'amd64' | 'arm64', v: Versions = versions): ToolDownload[] {
  const kube = clusterKubernetesVersion(v);
  return [
    {
      name: 'kind',
      version: v.tools.kind,
      url: `https://github.com/kubernetes-sigs/kind/releases/download/${v.tools.kind}/kind-${os}-${arch}`,
      checksumUrl: `https://github.com/kubernetes-sigs/kind/releases/download/${v.tools.kind}/kind-${os}-${arch}.sha256sum`,
    },
    { name: 'kubectl', version: kube, url: `https://dl.k8s.io/release/${kube}/bin/${os}/${arch}/kubectl`, checksumUrl: `https://dl.k8s.io/release/${kube}/bin/${os}/${arch}/kubectl.sha256` },
    {
      name: 'helm',
      version: v.tools.helm,
      url: `https://get.helm.sh/helm-${v.tools.helm}-${os}-${arch}.tar.gz`,
      checksumUrl: `https://get.helm.sh/helm-${v.tools.helm}-${os}-${arch}.tar.gz.sha256sum`,
      inArchive: `${os}-${arch}/helm`,
    },
    // argoproj/argo-rollouts' release workflow (.github/workflows/release.yaml, `make checksums`)
    // publishes kubectl-argo-rollouts-<os>-<arch> and one argo-rollouts-checksums.txt for all of them.
    {
      name: 'kubectl-argo-rollouts',
      version: v.tools['kubectl-argo-rollouts'],
      url: `https://github.com/argoproj/argo-rollouts/releases/download/${v.tools['kubectl-argo-rollouts']}/kubectl-argo-rollouts-${os}-${arch}`,
      checksumUrl: `https://github.com/argoproj/argo-rollouts/releases/download/${v.tools['kubectl-argo-rollouts']}/argo-rollouts-checksums.txt`,
      checksumEntry: `kubectl-argo-rollouts-${os}-${arch}`,
    },
  ];
}

/**
 * The hex digest of a checksum file: "<hex>", "<hex>  <file>", or, with `entry`, the line of that
 * file among several ("<hex>  <file>" per line, as sha256sum writes them). '' when there is none.
 */
export function checksumOf(text: string, entry?: string): string {
  const lines = text.split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => f[0]);
  const line = entry ? lines.find((f) => f[1]?.replace(/^\*/, '') === entry) : lines[0];
  return line?.[0]?.toLowerCase() ?? '';
}

/** Download one tool into `dir`, checked against its published checksum; `tmp` is a scratch folder. */
export async function installTool(d: ToolDownload, dir: string, tmp: string): Promise<string> {
  const file = join(tmp, d.url.split('/').pop()!);
  await download(d.url, file);
  const sums = await request(d.checksumUrl, { timeoutMs: 30_000, maxRedirects: DOWNLOAD_REDIRECTS });
  if (sums.status !== 200) throw new LabError(`${d.name}: GET ${d.checksumUrl} → ${sums.status}`, 1);
  const expected = checksumOf(sums.body, d.checksumEntry);
  const actual = createHash('sha256').update(readFileSync(file)).digest('hex');
  if (!expected || expected !== actual) throw new LabError(`${d.name}: checksum mismatch (${d.url}: expected ${expected || `no checksum for ${d.checksumEntry ?? 'it'} in ${d.checksumUrl}`}, got ${actual})`, 1);
  let binary = file;
  if (d.inArchive) {
    await must(liveRunner, { cmd: 'tar', args: ['-xzf', file, '-C', tmp] });
    binary = join(tmp, d.inArchive);
  }
  const target = join(dir, d.name);
  copyFileSync(binary, target);
  chmodSync(target, 0o755);
  return target;
}

export async function main(argv = process.argv.slice(2), env = process.env): Promise<number> {
  if (wantsHelp(argv)) return printHelp('tools', env);
  const { values } = parseOptions(argv, { dir: { type: 'string' }, 'dry-run': { type: 'boolean' } }, L('사용법: npm run tools [-- --dir <폴더>] [--dry-run]', 'usage: npm run tools [-- --dir <folder>] [--dry-run]'));
  const os = osPlatform();
  const arch = osArch() === 'arm64' ? 'arm64' : osArch() === 'x64' ? 'amd64' : undefined;
  if ((os !== 'linux' && os !== 'darwin') || !arch) throw new LabError(L(`이 OS/아키텍처(${os}/${osArch()})는 지원하지 않습니다. devcontainer를 쓰세요.`, `This OS/architecture (${os}/${osArch()}) is not supported here; use the devcontainer.`));
  const dir = values.dir ?? join(homedir(), '.local', 'bin');
  const downloads = toolDownloads(os, arch);
  if (values['dry-run']) {
    for (const d of downloads) console.log(`${d.name} ${d.version}: ${d.url} (checked against ${d.checksumUrl}) → ${join(dir, d.name)}`);
    return 0;
  }
  mkdirSync(dir, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'cicd-lab-tools-'));
  try {
    for (const d of downloads) console.log(`✓ ${d.name} ${d.version} → ${await installTool(d, dir, tmp)}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const warning = notOnPath(dir, env);
  if (warning) console.log(t(warning, detectLang(env)));
  return 0;
}

/** The warning to print when the install folder is not on PATH (the tools would not be found), or undefined. */
export function notOnPath(dir: string, env: NodeJS.ProcessEnv = process.env): Localized | undefined {
  const entries = (env.PATH ?? '').split(delimiter).map((p) => resolve(p));
  if (entries.includes(resolve(dir))) return undefined;
  return L(
    `! ${dir}가 PATH에 없어서 방금 설치한 도구를 셸이 찾지 못합니다. 셸 설정(~/.bashrc, ~/.zshrc)에 export PATH="${dir}:$PATH"를 더하고 새 터미널을 여세요.`,
    `! ${dir} is not on PATH, so your shell will not find the tools just installed. Add export PATH="${dir}:$PATH" to your shell's profile (~/.bashrc, ~/.zshrc) and open a new terminal.`,
  );
}

if (process.argv[1]?.endsWith('scripts/tools.ts')) await runMain(() => main());
