/**
 * The kit's YAML files are parsed once per content and read back from a JSON cache after that
 * (src/yaml-file.ts): the value must be the one the yaml package gives, for the text as it is now.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseYamlCached as parseCached, readYamlFile } from '../../src/yaml-file.js';

const dir = mkdtempSync(join(tmpdir(), 'cicd-lab-yaml-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cache = join(dir, 'cache');
const parseYamlCached = (text: string) => parseCached(text, cache);
const unique = () => `# ${Math.random()}\n`;
const cached = () => (existsSync(cache) ? readdirSync(cache).length : 0);

describe('YAML read through the cache', () => {
  it('gives the value the yaml package gives, from the cache the second time', () => {
    const text = `${unique()}id: s1\nchecks:\n  - {id: strategy, title: {ko: "전략", en: strategy}}\nn: 3\nempty:\nyes: true\n`;
    const before = cached();
    expect(parseYamlCached(text)).toEqual(parse(text));
    expect(cached()).toBe(before + 1);
    expect(parseYamlCached(text)).toEqual(parse(text));
    expect(cached()).toBe(before + 1);
  });

  it('reads a changed file again: the cache is keyed by the text, not the file name', () => {
    const file = join(dir, 'lab.yaml');
    writeFileSync(file, `${unique()}title: one\n`);
    expect(readYamlFile(file, cache)).toMatchObject({ title: 'one' });
    writeFileSync(file, `${unique()}title: two\n`);
    expect(readYamlFile(file, cache)).toMatchObject({ title: 'two' });
  });

  it('does not cache a value JSON cannot hold (.inf, .nan), so it never comes back changed', () => {
    const text = `${unique()}big: .inf\nnot: .nan\n`;
    const before = cached();
    expect(parseYamlCached(text)).toEqual({ big: Infinity, not: NaN });
    expect(parseYamlCached(text)).toEqual({ big: Infinity, not: NaN });
    expect(cached()).toBe(before);
  });

  it('refuses what the yaml package refuses', () => {
    expect(() => parseYamlCached(`${unique()}a: [1, 2\n`)).toThrow();
  });
});
