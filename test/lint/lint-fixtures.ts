// Paths of the lint fixture trees (taskgraph-fixtures/lint/<rule>/{trigger,near-miss}).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const lintFixtures = join(repoRoot, 'taskgraph-fixtures', 'lint');
export const params = join(repoRoot, 'taskgraph-fixtures', 'params.yml');
export const bundledTree = join(repoRoot, 'taskgraph-fixtures', 'taskcluster');

export const trigger = (rule: string) => join(lintFixtures, rule, 'trigger');
export const nearMiss = (rule: string) => join(lintFixtures, rule, 'near-miss');
export const kindFile = (root: string, kind = 'build') => join(root, 'kinds', kind, 'kind.yml');
