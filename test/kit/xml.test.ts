/**
 * The config.xml reader (src/xml.ts, fast-xml-parser underneath): what Jenkins writes is read, and
 * a DOCTYPE — the way entity tricks get into a document — is refused wherever it stands, so a
 * learner's job definition cannot be made to read as something it is not.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import grader from '../grade/l2-pipeline.test.js';
import { t } from '../../src/i18n.js';
import { pipelineDefinition, SCM_DEFINITION, WORKFLOW_JOB } from '../../src/jenkins.js';
import { ROOT } from '../../src/paths.js';
import { LabState } from '../../src/state.js';
import { child, childText, parseXml, XmlError } from '../../src/xml.js';

const JOB = 'hello-pipeline';
const jobRecord = (config: string) => ({ job: { _class: WORKFLOW_JOB }, lastCompletedBuild: null, lastSuccessfulBuild: null, config });
const stateWith = (config: string) =>
  new LabState({ kind: 'CicdLabSnapshot', version: 1, kubernetes: [], jenkins: { jobs: { [JOB]: jobRecord(config) } } }, 'snapshot');
/** A Pipeline job from SCM, with `definitionClass` written into its <definition class="…">. */
const scmJob = (definitionClass: string, prolog = '') =>
  `<?xml version='1.1' encoding='UTF-8'?>${prolog}<flow-definition plugin="workflow-job"><definition class="${definitionClass}" plugin="workflow-cps">` +
  `<scm class="hudson.plugins.git.GitSCM"><userRemoteConfigs><hudson.plugins.git.UserRemoteConfig><url>http://gitea-http.gitea:3000/lab/hello-app.git</url></hudson.plugins.git.UserRemoteConfig></userRemoteConfigs></scm>` +
  `<scriptPath>Jenkinsfile</scriptPath></definition></flow-definition>`;

describe('the config.xml reader', () => {
  it('reads the solutions\' config.xml files as Jenkins wrote them', () => {
    const pipeline = parseXml(readFileSync(join(ROOT, 'solutions/l2-pipeline/config.xml'), 'utf8'));
    expect(pipeline.name).toBe('flow-definition');
    expect(child(pipeline, 'definition')!.attributes.class).toBe(SCM_DEFINITION);
    expect(childText(pipeline, 'definition', 'scriptPath')).toBe('Jenkinsfile');
  });

  it('decodes the predefined entities and character references in text and attributes, keeps CDATA as written, and leaves children\'s text to them', () => {
    const root = parseXml(`<a x="1 &amp; 2 &#x41;">t &lt; &#66; <![CDATA[<raw> & ]]><b>child</b> tail<!-- not text --></a>\n`);
    expect(root.attributes).toEqual({ x: '1 & 2 A' });
    expect(root.text).toBe('t < B <raw> &  tail');
    expect(root.children.map((c) => [c.name, c.text])).toEqual([['b', 'child']]);
  });

  it('refuses a DOCTYPE: an entity declared in it is never expanded, wherever the DOCTYPE stands', () => {
    const billionLaughs = `<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><x>&c;</x>`;
    const external = `<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]><x>&secret;</x>`;
    for (const doc of [billionLaughs, external, '<!DOCTYPE x><x/>', '<x><!DOCTYPE y [<!ENTITY a "b">]>&a;</x>']) {
      expect(() => parseXml(doc), doc).toThrow(XmlError);
    }
    expect(() => parseXml(billionLaughs)).toThrow(/DOCTYPE is not allowed/);
  });

  it('refuses what is not well-formed, saying where, and entities XML does not define', () => {
    expect(() => parseXml('<x><y></x>')).toThrow(/closing tag 'x'.* at line 1, column 7/);
    expect(() => parseXml('<x/><y/>')).toThrow(/2 root elements/);
    expect(() => parseXml('<x/>trailing')).toThrow(/after the root element/);
    expect(() => parseXml('<x>&nbsp;</x>')).toThrow(/entity &nbsp;/);
    expect(() => parseXml('')).toThrow(XmlError);
  });

  it('an entity trick cannot turn a job into a Pipeline from SCM: the grader reads no definition and fails the job check', () => {
    // Without the refusal, &scm; would expand to the SCM definition's class in the attribute.
    const trick = scmJob('&scm;', `<!DOCTYPE flow-definition [<!ENTITY scm "${SCM_DEFINITION}">]>`);
    expect(pipelineDefinition(jobRecord(trick))).toBeUndefined();
    const outcome = grader.checks.job(stateWith(trick));
    expect(outcome.status).toBe('fail');
    expect(outcome.status === 'fail' && t(outcome.observed, 'en')).toBe('no Pipeline definition readable in config.xml');
    // The control: the same job written plainly passes.
    expect(grader.checks.job(stateWith(scmJob(SCM_DEFINITION))).status).toBe('pass');
  });
});
