/**
 * The generated logins of one install (.lab/credentials.json, shape `Credentials` of src/platform.ts):
 * random per install, never committed (.gitignore), readable by the learner only (mode 0600, in a
 * folder of mode 0700). The graders' collectors read the same file.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { credentialsPath, type Credentials } from '../../src/platform.js';
import { platformFull } from './platform.js';

/** A password: 24 characters of URL-safe base64 (144 random bits). */
export const randomPassword = () => randomBytes(18).toString('base64url');

export function writeCredentials(creds: Credentials, file = credentialsPath()): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  chmodSync(dirname(file), 0o700);
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

export function readCredentialsFile(file = credentialsPath()): Credentials {
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, 'utf8')) as Credentials;
}

/**
 * The logins, generating what is missing (Jenkins and Gitea passwords; Argo CD's comes from Argo CD
 * itself). Existing values are kept, so a re-run of `up` never changes a password. Also repairs the
 * file's mode if someone loosened it.
 */
export function ensureCredentials(file = credentialsPath()): { creds: Credentials; created: boolean } {
  const creds = readCredentialsFile(file);
  let created = false;
  if (!creds.jenkins?.password) {
    creds.jenkins = { user: platformFull.logins.jenkins, password: randomPassword() };
    created = true;
  }
  if (!creds.gitea?.password) {
    creds.gitea = { user: platformFull.logins.gitea, password: randomPassword() };
    created = true;
  }
  if (created || !existsSync(file) || (statSync(file).mode & 0o777) !== 0o600) writeCredentials(creds, file);
  return { creds, created };
}

/** Merge a change into the file (e.g. the Argo CD password or the Jenkins API token once known). */
export function updateCredentials(patch: (c: Credentials) => void, file = credentialsPath()): Credentials {
  const creds = readCredentialsFile(file);
  patch(creds);
  writeCredentials(creds, file);
  return creds;
}

/** The file's permission bits, e.g. 0o600 (for status and tests). */
export const credentialsMode = (file = credentialsPath()) => (existsSync(file) ? statSync(file).mode & 0o777 : undefined);
