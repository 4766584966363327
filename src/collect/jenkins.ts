/**
 * Jenkins collector: for each job the graders name, these GETs, saved as returned
 * (graders only read: ARCHITECTURE.md#contracts).
 *
 *   GET /job/NAME/api/json                        job (`_class`: hudson.model.FreeStyleProject or
 *                                                 org.jenkinsci.plugins.workflow.job.WorkflowJob)
 *   GET /job/NAME/lastCompletedBuild/api/json     404 when there is none → null
 *   GET /job/NAME/lastSuccessfulBuild/api/json    likewise
 *   GET /job/NAME/config.xml                      the definition (CpsScmFlowDefinition = from SCM)
 *   GET /job/NAME/<n>/wfapi/describe              pipelines only: stages[].{name,status}
 *
 * Shapes: Jenkins remote access API (https://www.jenkins.io/doc/book/using/remote-access-api/)
 * and the Pipeline Stage View REST API (jenkinsci/pipeline-stage-view-plugin, rest-api/README.md).
 * GETs need no CSRF crumb; the login is the generated admin and its password or API token.
 */
import { NetworkError, request, type HttpOptions } from '../http.js';
import type { JenkinsJobRecord, Unavailable } from '../snapshot.js';

export interface JenkinsEndpoint {
  url: string;
  auth?: { user: string; password: string };
}

export const jobPath = (name: string) => name.split('/').map((part) => `/job/${encodeURIComponent(part)}`).join('');

export const WORKFLOW_JOB = 'org.jenkinsci.plugins.workflow.job.WorkflowJob';
export const FREESTYLE_JOB = 'hudson.model.FreeStyleProject';

class Refused extends Error {}

export async function collectJenkins(
  jobs: string[],
  endpoint: JenkinsEndpoint,
): Promise<{ jobs: Record<string, JenkinsJobRecord>; unavailable: Unavailable[] }> {
  const options: HttpOptions = { basicAuth: endpoint.auth, timeoutMs: 10_000 };
  const base = endpoint.url.replace(/\/+$/, '');
  const get = async (path: string, json = true) => {
    const res = await request(`${base}${path}`, { ...options, headers: { accept: json ? 'application/json' : 'application/xml' } });
    if (res.status === 401 || res.status === 403) throw new Refused(`GET ${path} → ${res.status}`);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new Error(`GET ${path} → ${res.status}`);
    return json ? JSON.parse(res.body) : res.body;
  };

  const out: Record<string, JenkinsJobRecord> = {};
  const unavailable: Unavailable[] = [];
  for (const name of jobs) {
    const path = jobPath(name);
    try {
      const job = await get(`${path}/api/json`);
      if (!job) continue; // no such job: the graders say so
      const [lastCompletedBuild, lastSuccessfulBuild, config] = await Promise.all([
        get(`${path}/lastCompletedBuild/api/json`),
        get(`${path}/lastSuccessfulBuild/api/json`),
        get(`${path}/config.xml`, false),
      ]);
      const record: JenkinsJobRecord = { job, lastCompletedBuild: lastCompletedBuild ?? null, lastSuccessfulBuild: lastSuccessfulBuild ?? null, config: config ?? null };
      if (job._class === WORKFLOW_JOB) {
        record.stages = lastCompletedBuild ? ((await get(`${path}/${lastCompletedBuild.number}/wfapi/describe`)) ?? null) : null;
      }
      out[name] = record;
    } catch (error) {
      if (error instanceof NetworkError) {
        unavailable.push({ source: 'jenkins', what: '*', message: `cannot reach Jenkins at ${base}: ${error.reason}; is the platform up? (\`npm run status\`)` });
        break;
      }
      if (error instanceof Refused) {
        unavailable.push({ source: 'jenkins', what: '*', message: `Jenkins at ${base} refused the kit's login (${error.message}): the credentials file is missing or out of date; \`npm run status\` shows the login` });
        break;
      }
      unavailable.push({ source: 'jenkins', what: name, message: `reading job ${name} from ${base} failed: ${(error as Error).message}` });
    }
  }
  return { jobs: out, unavailable };
}
