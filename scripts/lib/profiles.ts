/**
 * The platform profiles (`npm run up -- --profile strategies|full`): which components each installs,
 * its memory (an estimate until the e2e workflow measures it: docs/reference/platform.md#profiles),
 * the profile this install has (recorded by `up` in .lab/platform.json, beside the install's logins),
 * and what a lab needs (its level's `profile`, labs/levels.yaml: `labProfile` of src/catalog.ts).
 *
 * Read by `up` (the steps to run, the last of which records the profile), `doctor` (which profile
 * fits this machine), `status` (the profile and its memory) and `lab` (refuses a lab the install
 * cannot run). `down` deletes the record with the install.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROFILE_NAMES, type Lab, labProfile, type ProfileName } from '../../src/catalog.js';
import { LabError } from '../../src/errors.js';
import { L, type Localized } from '../../src/i18n.js';
import { credentialsPath } from '../../src/platform.js';
import { COMPONENTS, type Component } from './platform.js';
import { task, type Step } from './up/plan.js';

const GiB = 1024 ** 3;

export interface Profile {
  name: ProfileName;
  components: readonly Component[];
  /** What it is for, in a few words. */
  for: Localized;
  /**
   * Steady-state memory of the platform's containers (`docker stats` of the kind node, the registry
   * and the mirrors) with its labs running: an ESTIMATE, not a measurement. The e2e workflow
   * measures both profiles on every run (reports/memory.txt); the docs give these as estimates.
   */
  estimateBytes: number;
  /** Docker's memory below which `up` refuses this profile, and below which doctor warns. */
  minBytes: number;
  advisedBytes: number;
}

export const PROFILES: Record<ProfileName, Profile> = {
  strategies: {
    name: 'strategies',
    components: ['registry', 'cluster', 'gateway', 'images'],
    for: L('배포 전략 실습 s1–s6(Gitea, Jenkins, Argo CD, Rollouts 없이)', 'the strategy labs s1–s6 (no Gitea, Jenkins, Argo CD or Rollouts)'),
    estimateBytes: 2 * GiB,
    minBytes: 3.5 * GiB,
    advisedBytes: 4 * GiB,
  },
  full: {
    name: 'full',
    components: COMPONENTS,
    for: L('모든 실습', 'every lab'),
    estimateBytes: 5 * GiB,
    minBytes: 6 * GiB,
    advisedBytes: 7.5 * GiB,
  },
};

/** Profiles from smallest to largest; each holds every component of the ones before it. */
export const profileOrder = (p: ProfileName) => PROFILE_NAMES.indexOf(p);
export const covers = (installed: ProfileName, needed: ProfileName) => profileOrder(installed) >= profileOrder(needed);

export function parseProfile(value: string | undefined): ProfileName {
  if (value === undefined) return 'full';
  if ((PROFILE_NAMES as readonly string[]).includes(value)) return value as ProfileName;
  throw new LabError(L(`알 수 없는 프로필 "${value}": ${PROFILE_NAMES.join(' | ')}`, `Unknown profile "${value}": ${PROFILE_NAMES.join(' | ')}`));
}

/**
 * Where `up` records the installed profile: beside the install's logins (.lab/platform.json next to
 * .lab/credentials.json, or next to LAB_CREDENTIALS_FILE), and `down` deletes it with them.
 */
export const profileFile = () => join(dirname(credentialsPath()), 'platform.json');

/** The profile `up` last completed on this install, or undefined (no `up` yet, or one before profiles). */
export function readInstalledProfile(): ProfileName | undefined {
  const file = profileFile();
  if (!existsSync(file)) return undefined;
  const profile = (JSON.parse(readFileSync(file, 'utf8')) as { profile?: string }).profile;
  return (PROFILE_NAMES as readonly string[]).includes(profile ?? '') ? (profile as ProfileName) : undefined;
}

export function writeInstalledProfile(profile: ProfileName): void {
  mkdirSync(dirname(profileFile()), { recursive: true });
  writeFileSync(profileFile(), `${JSON.stringify({ profile }, null, 2)}\n`);
}

/**
 * Why a lab cannot run on this install, in one line naming the profile to add; undefined when it can
 * (or when no profile is recorded: an install from before profiles had everything).
 */
export function missingProfile(lab: Lab, installed: ProfileName | undefined): Localized | undefined {
  const needed = labProfile(lab);
  if (!installed || covers(installed, needed)) return undefined;
  const missing = PROFILES[needed].components.filter((c) => !PROFILES[installed].components.includes(c)).join(', ');
  return L(
    `${lab.id}에는 ${needed} 프로필이 필요한데 이 플랫폼은 ${installed} 프로필입니다(없는 것: ${missing}). 더하세요: npm run up -- --profile ${needed}`,
    `${lab.id} needs the ${needed} profile, but this platform is ${installed} (missing: ${missing}). Add it: npm run up -- --profile ${needed}`,
  );
}

/** The largest profile whose advised memory this machine has: the smaller of Docker's limit and the machine's memory. */
export function recommendProfile(dockerBytes: number | undefined, machineBytes: number | undefined): ProfileName | undefined {
  const figures = [dockerBytes, machineBytes].filter((x): x is number => typeof x === 'number' && x > 0);
  if (!figures.length) return undefined;
  const usable = Math.min(...figures);
  const largestFirst = [...PROFILE_NAMES].reverse();
  return largestFirst.find((p) => usable >= PROFILES[p].advisedBytes) ?? largestFirst.find((p) => usable >= PROFILES[p].minBytes);
}

/**
 * The last step of `up --profile <name>`: record the profile once every step before it converged.
 * A smaller profile never lowers the record (`up --profile strategies` on a full install leaves
 * everything installed, and says so).
 */
export function recordProfileStep(profile: ProfileName): Step {
  return {
    id: 'profile',
    component: 'platform',
    title: L(`설치된 프로필 기록(.lab/platform.json): ${profile}`, `Record the installed profile (.lab/platform.json): ${profile}`),
    async observe() {
      const installed = readInstalledProfile();
      if (installed && covers(installed, profile)) return { done: true, reason: `recorded: ${installed}` };
      return { done: false, reason: installed ? `recorded: ${installed}` : 'nothing recorded yet' };
    },
    actions: () => [task(`write {"profile": "${profile}"} to .lab/platform.json`, async () => writeInstalledProfile(profile))],
  };
}

/** The steps of `up --profile <name>`: its components' steps in up's order, then the record. */
export function profileSteps(profile: ProfileName, steps: (components: readonly Component[]) => Step[]): Step[] {
  return [...steps(PROFILES[profile].components), recordProfileStep(profile)];
}
