/**
 * Where the contract tier finds the charts, and how it renders them.
 *
 * Sources, in this order:
 *   LAB_CONTRACT_CHARTS=<folder>   a chart per name: <folder>/<chart>/ (an unpacked chart, Chart.yaml
 *                                  at its top) or <folder>/<chart>-<version>.tgz (as `helm pull` names it).
 *                                  For charts taken from their upstream sources: see
 *                                  docs/reference/platform.md#contract-tier for the preparation.
 *   .lab/cache/charts/             what `npm run prefetch` pulled: <chart>-<pinned version>.tgz.
 * A chart found nowhere is skipped with the reason; with none at hand, nothing is claimed.
 *
 * Each chart is rendered by the helm on PATH (`helm template`, no cluster) with the values of
 * chartValues() — platform/values/<chart>.yaml plus what scripts/lib/up/renderers/chart-values.ts adds — written to a
 * file, as `up` writes .lab/values/<chart>.json, for the release and namespace of platform.yaml and the
 * cluster's Kubernetes version.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../../src/paths.js';
import { helmTemplate, renderedObjects, type ChartName, type K8sObject } from '../../scripts/lib/charts.js';
import { cachedChartPath } from '../../scripts/lib/up/helm.js';
import { chartValues } from '../../scripts/lib/up/renderers/chart-values.js';
import { platformFull } from '../../scripts/lib/platform.js';
import { versions } from '../../scripts/lib/versions.js';
import { run, which } from '../lib/tools.js';

export const CHARTS = Object.keys(versions.charts) as ChartName[];

export interface ChartSource {
  chart: ChartName;
  path: string;
  /** Where it was found: "LAB_CONTRACT_CHARTS" or "the prefetch cache". */
  origin: string;
  /** The version in its Chart.yaml. */
  version: string;
}

/** The chart's metadata (Chart.yaml) and default values (values.yaml), from a folder or a package. */
function chartFile(path: string, what: 'chart' | 'values'): any {
  if (!path.endsWith('.tgz')) return parse(readFileSync(join(path, what === 'chart' ? 'Chart.yaml' : 'values.yaml'), 'utf8'));
  return parse(run('helm', ['show', what, path]));
}

export function findChart(chart: ChartName, env: NodeJS.ProcessEnv = process.env): ChartSource | { missing: string } {
  const named = env.LAB_CONTRACT_CHARTS;
  const tried: string[] = [];
  if (named) {
    const folder = join(named, chart);
    const packaged = existsSync(named) ? readdirSync(named).filter((f) => f.startsWith(`${chart}-`) && f.endsWith('.tgz') && /^\d/.test(f.slice(chart.length + 1))).sort() : [];
    const path = existsSync(join(folder, 'Chart.yaml')) ? folder : packaged.includes(`${chart}-${versions.charts[chart].version}.tgz`) ? join(named, `${chart}-${versions.charts[chart].version}.tgz`) : packaged.length ? join(named, packaged.at(-1)!) : undefined;
    if (path) return { chart, path, origin: 'LAB_CONTRACT_CHARTS', version: String(chartFile(path, 'chart').version) };
    tried.push(`${folder}/Chart.yaml`, join(named, `${chart}-<version>.tgz`));
  }
  const cached = cachedChartPath({ root: ROOT, versions }, chart);
  if (existsSync(cached)) return { chart, path: cached, origin: 'the prefetch cache', version: String(chartFile(cached, 'chart').version) };
  tried.push(cached);
  return { missing: `no ${chart} chart at hand (looked for ${tried.join(', ')})` };
}

/** The chart's default values, as its values.yaml ships them. */
export const chartDefaults = (source: ChartSource) => chartFile(source.path, 'values');

export const helmMissing = () => (which('helm') ? undefined : 'helm is not on PATH');

/** `helm template` of the chart with the kit's values (and extra environment for chartValues, e.g. Codespaces). */
export function renderChart(source: ChartSource, env: NodeJS.ProcessEnv = {}): K8sObject[] {
  const dir = mkdtempSync(join(tmpdir(), 'cicd-lab-contract-'));
  try {
    const values = join(dir, `${source.chart}.json`);
    writeFileSync(values, JSON.stringify(chartValues(source.chart, versions, platformFull, env), null, 2));
    const cmd = helmTemplate(platformFull, versions, source.chart, source.path, values);
    return renderedObjects(run(cmd.cmd, cmd.args));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const find = (objects: K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
