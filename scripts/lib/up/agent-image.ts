/**
 * The Jenkins agent image `up` builds (platform/jenkins/agent/Containerfile): what it is made of and
 * its tag. The jenkins step builds it; the lab-builder pod template runs it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../../src/paths.js';
import type { Versions } from '../versions.js';

/** Where the Jenkins agent image is built from (platform/jenkins/agent/Containerfile). */
export const AGENT_DIR = 'platform/jenkins/agent';

/** The build arguments of the agent image: the images it is made of, from versions.json. */
export const agentBuildArgs = (v: Versions) => ({ AGENT_IMAGE: v.images['jenkins-agent'], NODE_IMAGE: v.images['agent-node'], TOOLS_IMAGE: v.images.tools });

/**
 * The agent image's tag: a hash of its Containerfile and the images it is made of, so that a change
 * to either makes a new image (and a new pod template), and an unchanged one is not rebuilt.
 */
export function agentImageTag(v: Versions, root = ROOT): string {
  const hash = createHash('sha256').update(readFileSync(join(root, AGENT_DIR, 'Containerfile'))).update(JSON.stringify(agentBuildArgs(v)));
  return hash.digest('hex').slice(0, 16);
}
