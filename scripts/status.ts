#!/usr/bin/env -S npx tsx
/**
 * npm run status
 *
 * Each component of the lab platform — registry, cluster, gateway, Gitea, Jenkins, Argo CD, Argo
 * Rollouts — with its health (workloads ready and the service answering through the gateway), its
 * address and its login (from .lab/credentials.json), then the platform's memory as `docker stats`
 * measures the kind node and the registry containers, against the 5 GiB target.
 *
 * Options: --context <name> (refused unless kind-cicd-lab).
 * Environment: LAB_CONTEXT (refused unless kind-cicd-lab), LAB_GATEWAY_PORT, JENKINS_URL, GITEA_URL,
 *   LAB_REGISTRY_URL (other addresses, as for the graders), LAB_LANG ko | en.
 * Exit: 0 every component healthy · 1 something is not · 2 bad input.
 *
 * The rendering is tested with fake facts; the e2e workflow runs it against the platform.
 */
import { runMain } from '../src/errors.js';
import { detectLang, L } from '../src/i18n.js';
import { requireLabContext } from './lib/cli.js';
import { parseOptions } from './lib/options.js';
import { liveRunner } from './lib/exec.js';
import { platformFull } from './lib/platform.js';
import { gatherStatus, renderStatus, statusHealthy } from './lib/status.js';
import { printHelp, wantsHelp } from './lib/help.js';

export async function main(argv = process.argv.slice(2), env = process.env): Promise<number> {
  if (wantsHelp(argv)) return printHelp('status', env);
  const { values } = parseOptions(argv, { context: { type: 'string' } }, L('사용법: npm run status', 'usage: npm run status'));
  requireLabContext(values.context, 'status', env);
  const facts = await gatherStatus(liveRunner, platformFull, env);
  console.log(renderStatus(facts, detectLang(env)));
  return statusHealthy(facts) ? 0 : 1;
}

if (process.argv[1]?.endsWith('scripts/status.ts')) await runMain(() => main());
