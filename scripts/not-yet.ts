#!/usr/bin/env -S npx tsx
/**
 * Stand-in for the platform commands (doctor, up, status, down, prefetch) until the platform
 * issue builds them: says so plainly and exits 2, so nobody mistakes it for a working command.
 */
import { detectLang } from '../src/i18n.js';

const command = process.argv[2] ?? 'this command';
console.error(
  detectLang() === 'ko'
    ? `"npm run ${command}"은(는) 아직 없습니다. 플랫폼(kind, 레지스트리, 게이트웨이, Gitea, Jenkins, Argo CD)을 만드는 작업에서 추가됩니다.`
    : `"npm run ${command}" is not yet available: it comes with the platform work (kind, registry, gateway, Gitea, Jenkins, Argo CD).`,
);
process.exitCode = 2;
