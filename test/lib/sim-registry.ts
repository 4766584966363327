/**
 * The local registry and Buildah, simulated for the kit tests.
 *
 * SimRegistry holds the tags of each repository, as `GET /v2/<name>/tags/list` lists them; it
 * starts with what `npm run up` pushes (hello-app at each of APP_VERSIONS, which the strategy
 * labs and the starters run; v3 is the failure drills' bad release). Images of the in-cluster registry that it does not hold cannot be pulled: the
 * simulated cluster's Pods stay in ImagePullBackOff, as on the platform.
 *
 * `buildahTool` is the `buildah` of the build pod's buildah container: `bud`/`build` checks that
 * the context has a Dockerfile (or Containerfile) and records the image in the pod's local
 * storage (per storage driver, as containers-storage keeps it); `push` sends a locally built
 * image to the registry — over plain HTTP only with `--tls-verify=false`, as the platform's
 * registry serves no TLS. No image is really built: the real build is the platform's (e2e).
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { imageRepository, imageTag } from '../../src/kube/objects.js';
import { platform } from '../../src/platform.js';
import { APP_VERSIONS } from '../../scripts/lib/up/components/images.js';
import type { ToolCall, ToolResult } from './sim-tools.js';

export class SimRegistry {
  private readonly repos = new Map<string, Set<string>>();
  /** Locally built images per build pod and storage driver: `pod/driver` → image references. */
  private readonly local = new Map<string, Set<string>>();

  /** The registry right after `npm run up`. */
  static seeded(): SimRegistry {
    const registry = new SimRegistry();
    for (const version of APP_VERSIONS) registry.add('hello-app', version);
    return registry;
  }

  fork(): SimRegistry {
    const copy = new SimRegistry();
    for (const [repo, tags] of this.repos) copy.repos.set(repo, new Set(tags));
    return copy;
  }

  add(repo: string, tag: string): this {
    if (!this.repos.has(repo)) this.repos.set(repo, new Set());
    this.repos.get(repo)!.add(tag);
    return this;
  }

  remove(repo: string, tag: string): this {
    this.repos.get(repo)?.delete(tag);
    return this;
  }

  /** Tags in the order the registry lists them (lexical, as the distribution registry does). */
  tags(repo: string): string[] {
    return [...(this.repos.get(repo) ?? [])].sort();
  }

  /** Can the kubelet pull this image? Only in-cluster registry images are checked. */
  pullable(image: string): boolean {
    const ref = image.split('@')[0];
    if (!ref.startsWith(`${platform.registry.inCluster}/`)) return true;
    const repo = ref.slice(platform.registry.inCluster.length + 1).replace(/:[^/:]*$/, '');
    return this.repos.get(repo)?.has(imageTag(ref) ?? 'latest') ?? false;
  }

  /** The `buildah` command of the build pod's buildah container. */
  buildahTool = (call: ToolCall): ToolResult => {
    const out = { exitCode: 0, stdout: '', stderr: '' };
    const fail = (message: string, exitCode = 125): ToolResult => ({ exitCode, stdout: out.stdout, stderr: `${out.stderr}Error: ${message}` });
    const args = [...call.args];
    let driver = call.env.STORAGE_DRIVER || 'overlay';
    const rest: string[] = [];
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '--storage-driver') driver = args[++i];
      else if (args[i].startsWith('--storage-driver=')) driver = args[i].split('=')[1];
      else rest.push(args[i]);
    }
    const storageKey = `${call.env.SIM_POD ?? 'host'}/${driver}`;
    const storage = this.local.get(storageKey) ?? new Set<string>();
    this.local.set(storageKey, storage);
    const [command, ...opts] = rest;
    switch (command) {
      case 'bud':
      case 'build': {
        const tags: string[] = [];
        const buildArgs: Record<string, string> = {};
        let file: string | undefined;
        const positional: string[] = [];
        for (let i = 0; i < opts.length; i++) {
          const a = opts[i];
          const eq = a.startsWith('--') ? a.indexOf('=') : -1;
          const name = eq > 0 ? a.slice(0, eq) : a;
          const take = () => (eq > 0 ? a.slice(eq + 1) : opts[++i]);
          switch (name) {
            case '-t':
            case '--tag':
              tags.push(take());
              break;
            case '--build-arg': {
              const [k, ...v] = take().split('=');
              buildArgs[k] = v.join('=');
              break;
            }
            case '-f':
            case '--file':
              file = take();
              break;
            case '--isolation':
            case '--format':
              take();
              break;
            case '--layers':
              break;
            default:
              if (a.startsWith('-')) return fail(`the option ${a} of buildah ${command} is not simulated (test/lib/sim-registry.ts)`);
              positional.push(a);
          }
        }
        const context = resolve(call.cwd, positional[0] ?? '.');
        const dockerfile = file ? (isAbsolute(file) ? file : resolve(call.cwd, file)) : ['Containerfile', 'Dockerfile'].map((n) => join(context, n)).find(existsSync);
        if (!dockerfile || !existsSync(dockerfile)) return fail(`no Containerfile or Dockerfile specified or found in context directory, ${context}: no such file or directory`);
        const declared = new Set([...readFileSync(dockerfile, 'utf8').matchAll(/^\s*ARG\s+([A-Za-z_]\w*)/gim)].map((m) => m[1]));
        const unused = Object.keys(buildArgs).filter((k) => !declared.has(k));
        if (unused.length) out.stderr += `[Warning] one or more build args were not consumed: [${unused.join(' ')}]\n`;
        if (!tags.length) return fail('the simulation needs a tag (-t) to record the image');
        for (const t of tags) storage.add(t.includes(':') && t.lastIndexOf(':') > t.lastIndexOf('/') ? t : `${t}:latest`);
        out.stdout += `STEP 1/…: built from ${dockerfile.slice(call.cwd.length + 1) || dockerfile}\nCOMMIT ${tags.join(', ')}\n`;
        return out;
      }
      case 'push': {
        let tlsVerify = true;
        const positional: string[] = [];
        for (let i = 0; i < opts.length; i++) {
          const a = opts[i];
          if (a === '--tls-verify=false') tlsVerify = false;
          else if (a === '--tls-verify=true' || a === '--tls-verify') tlsVerify = true;
          else if (a === '--digestfile' || a === '--creds') i++;
          else if (a.startsWith('-')) return fail(`the option ${a} of buildah push is not simulated (test/lib/sim-registry.ts)`);
          else positional.push(a);
        }
        const [source, destination] = positional;
        if (!source) return fail('an image name must be specified');
        const src = source.includes(':') && source.lastIndexOf(':') > source.lastIndexOf('/') ? source : `${source}:latest`;
        if (!storage.has(src)) return fail(`${source}: image not known (not built in this pod with storage driver ${driver})`);
        const dest = (destination ?? src).replace(/^docker:\/\//, '');
        const host = dest.split('/')[0];
        if (host !== platform.registry.inCluster) return fail(`pinging container registry ${host}: Get "https://${host}/v2/": dial tcp: lookup ${host}: no such host`);
        if (tlsVerify) return fail(`pinging container registry ${host}: Get "https://${host}/v2/": http: server gave HTTP response to HTTPS client`);
        this.add(imageRepository(dest)!, imageTag(dest)!);
        out.stdout += `Writing manifest to image destination\n`;
        return out;
      }
      case 'images':
        out.stdout = [...storage].join('\n');
        return out;
      default:
        return fail(`buildah ${command ?? ''} is not simulated (test/lib/sim-registry.ts)`);
    }
  };
}
