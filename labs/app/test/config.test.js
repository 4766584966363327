import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { colorFor, readConfig, schemaFor } from '../src/config.js';

describe('the colour of a version', () => {
  it('is blue for v1 and green for v2, as every lab expects', () => {
    assert.equal(colorFor('v1').name, 'blue');
    assert.equal(colorFor('v2').name, 'green');
  });

  it('comes from the last number in the version, so pipeline builds change colour from one to the next', () => {
    assert.equal(colorFor('v3').name, 'orange');
    assert.equal(colorFor('l2-7').name, 'blue');
    assert.equal(colorFor('l2-8').name, 'green');
    assert.equal(colorFor('l1-12').name, 'pink');
    assert.equal(colorFor('v0').name, 'pink');
  });

  it('is gray for a version without a number', () => {
    assert.equal(colorFor('dev').name, 'gray');
  });
});

describe('the settings', () => {
  it('default to version dev on port 8080, ready at once, no database', () => {
    const c = readConfig({});
    assert.equal(c.version, 'dev');
    assert.equal(c.port, 8080);
    assert.equal(c.readyDelaySeconds, 0);
    assert.equal(c.shutdownDelaySeconds, 3);
    assert.equal(c.databaseUrl, undefined);
  });

  it('take the version from APP_VERSION and its colour from the rule, unless COLOR is set', () => {
    assert.equal(readConfig({ APP_VERSION: 'v2' }).color.name, 'green');
    assert.deepEqual(readConfig({ APP_VERSION: 'v2', COLOR: 'blue' }).color, { name: 'blue', hex: '#2563eb' });
    assert.deepEqual(readConfig({ COLOR: '#AABBCC' }).color, { name: '#aabbcc', hex: '#aabbcc' });
    assert.equal(readConfig({ COLOR: 'tomato' }).color.hex, 'tomato');
  });

  it('refuse values that are not what they should be, naming the variable', () => {
    assert.throws(() => readConfig({ PORT: 'eighty' }), /PORT/);
    assert.throws(() => readConfig({ READY_DELAY_SECONDS: '-1' }), /READY_DELAY_SECONDS/);
    assert.throws(() => readConfig({ COLOR: 'red;}body{' }), /COLOR/);
    assert.throws(() => readConfig({ SCHEMA_VERSION: '3' }), /SCHEMA_VERSION/);
    assert.throws(() => readConfig({ FAIL_PERCENT: '120' }), /FAIL_PERCENT must be a percentage from 0 to 100, not "120"/);
    assert.throws(() => readConfig({ FAIL_PERCENT: 'some' }), /FAIL_PERCENT/);
  });

  it('list the settings REQUIRED_SETTINGS names that the environment lacks, and read FAIL_PERCENT (both off by default)', () => {
    assert.deepEqual(readConfig({}).missingSettings, []);
    assert.equal(readConfig({}).failPercent, 0);
    assert.deepEqual(readConfig({ REQUIRED_SETTINGS: ' A , B,,C', B: 'set', C: '' }).missingSettings, ['A', 'C']);
    assert.equal(readConfig({ FAIL_PERCENT: '30' }).failPercent, 30);
  });

  it('give v1 the first schema and every other version the newest, unless SCHEMA_VERSION says otherwise', () => {
    assert.equal(schemaFor('v1'), 1);
    assert.equal(schemaFor('v2'), 2);
    assert.equal(schemaFor('l2-9'), 2);
    assert.equal(schemaFor('v2', '1'), 1);
  });
});
