import { chmodSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCredentials } from '../../src/platform.js';
import { credentialsMode, ensureCredentials, randomPassword, updateCredentials } from '../../scripts/lib/credentials.js';
import { tempDir } from '../lib/temp.js';

const fresh = () => join(tempDir('creds'), '.lab', 'credentials.json');

describe('the credentials file (.lab/credentials.json)', () => {
  it('is created with mode 0600 in a folder of mode 0700, with the logins of platform.yaml', () => {
    const file = fresh();
    const { creds, created } = ensureCredentials(file);
    expect(created).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
    expect(creds.jenkins!.user).toBe('admin');
    expect(creds.gitea!.user).toBe('lab-admin');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(creds);
  });

  it('has the shape the graders\' collectors read (Credentials of src/platform.ts)', () => {
    const file = fresh();
    ensureCredentials(file);
    updateCredentials((c) => void (c.argocd = { user: 'admin', password: 'from-argocd' }), file);
    process.env.LAB_CREDENTIALS_FILE = file;
    const read = readCredentials();
    delete process.env.LAB_CREDENTIALS_FILE;
    expect(Object.keys(read).sort()).toEqual(['argocd', 'gitea', 'jenkins']);
    expect(read.argocd).toEqual({ user: 'admin', password: 'from-argocd' });
  });

  it('uses new random passwords for each install and keeps them on a re-run', () => {
    const a = ensureCredentials(fresh()).creds;
    const b = ensureCredentials(fresh()).creds;
    expect(a.jenkins!.password).not.toBe(b.jenkins!.password);
    expect(a.gitea!.password).not.toBe(a.jenkins!.password);
    const file = fresh();
    const first = ensureCredentials(file).creds;
    const again = ensureCredentials(file);
    expect(again.created).toBe(false);
    expect(again.creds).toEqual(first);
  });

  it('puts the mode back to 0600 when someone loosened it, and keeps it when updating', () => {
    const file = fresh();
    ensureCredentials(file);
    chmodSync(file, 0o644);
    ensureCredentials(file);
    expect(credentialsMode(file)).toBe(0o600);
    updateCredentials((c) => void (c.jenkins!.token = 't'), file);
    expect(credentialsMode(file)).toBe(0o600);
  });

  it('makes passwords of 24 URL-safe characters', () => {
    const passwords = new Set(Array.from({ length: 50 }, randomPassword));
    expect(passwords.size).toBe(50);
    for (const p of passwords) expect(p).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });
});
