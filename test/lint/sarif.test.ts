// The SARIF report against the official SARIF 2.1.0 schema (a copy beside
// this file; see sarif-schema-2.1.0.SOURCE.md), plus what code-scanning
// services need of it: rule metadata, relative URIs, regions, related
// locations, and suppressed findings marked as suppressed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { RULES } from '../../src/lint/rules.js';
import { runCli } from '../cli/run-cli.js';
import { lintFixtures, params, repoRoot, trigger } from './lint-fixtures.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

function sarifValidator() {
  const schema = JSON.parse(readFileSync(join(repoRoot, 'test', 'lint', 'sarif-schema-2.1.0.json'), 'utf8')) as Record<string, unknown>;
  // Draft-04 names the schema's identifier `id`; Ajv 8 reads `$id`.
  const { $schema: _draft, id, ...rest } = schema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile({ ...rest, $id: id as string });
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number } } }[];
  relatedLocations?: { physicalLocation: { region: { startLine: number } }; message: { text: string } }[];
  suppressions?: { kind: string }[];
}
interface SarifLog {
  runs: { tool: { driver: { name: string; rules: { id: string; defaultConfiguration: { level: string } }[] } }; results: SarifResult[]; originalUriBaseIds: Record<string, { uri: string }> }[];
}

describe('tc-payload lint --format sarif', () => {
  const validate = sarifValidator();

  test('the schema copy rejects what SARIF 2.1.0 forbids (so the checks below mean something)', () => {
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'fatal' }] }] }), false);
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }), false);
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, locations: [{ physicalLocation: { region: { startLine: 0 } } }] }] }] }), false);
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [] }] }), true);
  });

  test('a report with errors, related locations and suppressions is valid SARIF 2.1.0 and says what happened where', () => {
    const root = trigger(RULES.cacheSharedByDifferentUsers.id);
    const result = runCli(['lint', '--root', root, '--params', params, '--format', 'sarif']);
    assert.equal(result.status, 1);
    const log = JSON.parse(result.stdout) as SarifLog;
    assert.equal(validate(log), true, JSON.stringify(validate.errors, null, 1));
    const run = log.runs[0]!;
    assert.equal(run.tool.driver.name, 'tc-payload lint');
    assert.equal(run.originalUriBaseIds.SRCROOT!.uri, `file://${repoRoot}/`);
    const first = run.results[0]!;
    assert.equal(first.ruleId, RULES.cacheSharedByDifferentUsers.id);
    assert.equal(run.tool.driver.rules[first.ruleIndex]!.id, first.ruleId);
    assert.equal(run.tool.driver.rules[first.ruleIndex]!.defaultConfiguration.level, 'error');
    assert.equal(first.level, 'error');
    assert.deepEqual(first.locations[0]!.physicalLocation, {
      artifactLocation: { uri: 'taskgraph-fixtures/lint/cache-shared-by-different-users/trigger/kinds/build/kind.yml', uriBaseId: 'SRCROOT' },
      region: { startLine: 19, startColumn: 32 },
    });
    assert.equal(first.relatedLocations![0]!.physicalLocation.region.startLine, 28);
    assert.match(first.message.text, /requirements mismatch/);
  });

  test('suppressed findings are results with an in-source suppression', () => {
    const result = runCli(['lint', '--root', join(lintFixtures, 'suppression'), '--params', params, '--format', 'sarif']);
    assert.equal(result.status, 0);
    const log = JSON.parse(result.stdout) as SarifLog;
    assert.equal(validate(log), true, JSON.stringify(validate.errors, null, 1));
    const suppressed = log.runs[0]!.results.filter((r) => r.suppressions);
    assert.equal(suppressed.length, 2);
    for (const r of suppressed) {
      assert.equal(r.ruleId, RULES.cacheSharedByDifferentUsers.id);
      assert.deepEqual(r.suppressions!.map((s) => s.kind), ['inSource']);
    }
    assert.deepEqual(log.runs[0]!.results.filter((r) => !r.suppressions).map((r) => r.ruleId), [RULES.cacheWithoutRunTask.id]);
  });
});
