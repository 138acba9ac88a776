// taskgraph.transforms.notify and `when: files-changed`, through the command on
// small trees of their own: what they write, and their located errors.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fixtures, runCli } from './run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'cli-notify-when-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const params = join(fixtures, 'params.yml');

const CONFIG = `trust-domain: widget
task-priority: low
taskgraph:
    repositories:
        widget:
            name: Widget
workers:
    aliases:
        b-linux:
            provisioner: widget-{level}
            implementation: docker-worker
            os: linux
            worker-type: b-linux
`;

/** A tree with one kind, `kind.yml` as given (and more files of that kind). */
function tree(name: string, kindYml: string, files: Record<string, string> = {}): string {
  const root = join(scratch, name, 'taskcluster');
  mkdirSync(join(root, 'kinds', 'k'), { recursive: true });
  writeFileSync(join(root, 'config.yml'), CONFIG);
  writeFileSync(join(root, 'kinds', 'k', 'kind.yml'), kindYml);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(root, 'kinds', 'k', file), text);
  return root;
}

const generate = (root: string, extra: string[] = []) => runCli(['generate', '--root', root, '--params', params, ...extra]);

const NOTIFY_KIND = `transforms:
    - taskgraph.transforms.notify:transforms
    - taskgraph.transforms.task:transforms
task-defaults:
    worker-type: succeed
tasks:
    done:
        description: tell people
        notify:
            recipients:
                - type: email
                  address:
                      by-level:
                          '3': rel@example.org
                          default: '{task[name]}@example.org'
                - type: matrix-room
                  room-id: '!room:example.org'
                  status-type: on-failed
            content:
                email:
                    subject: '{task[name]} of {config[kind]}'
                matrix:
                    formatted-body: '<b>{task[name]}</b> {{literal}}'
    legacy:
        description: old form
        notifications:
            emails: [a@example.org]
            subject: legacy
            status-types: [on-failed, on-exception]
`;

test('notify: routes per recipient (keyed email resolved, default status on-completed), content in the notify service spelling', () => {
  const result = generate(tree('notify', NOTIFY_KIND));
  assert.equal(result.status, 0, result.stderr);
  const graph = JSON.parse(result.stdout) as Record<string, { task: { routes: string[]; extra: Record<string, unknown> } }>;
  const done = graph['k-done']!.task;
  assert.deepEqual(done.routes.filter((r) => r.startsWith('notify.')), ['notify.email.rel@example.org.on-completed', 'notify.matrix-room.!room:example.org.on-failed']);
  assert.deepEqual(done.extra.notify, { email: { subject: 'done of k' }, matrixFormattedBody: '<b>done</b> {literal}' });
  const legacy = graph['k-legacy']!.task;
  assert.deepEqual(legacy.routes.filter((r) => r.startsWith('notify.')), ['notify.email.a@example.org.on-failed', 'notify.email.a@example.org.on-exception']);
  assert.deepEqual(legacy.extra.notify, { email: { subject: 'legacy', content: 'legacy' } });
});

test('notify: the keyed email takes the other branch at level 1', () => {
  const result = generate(tree('notify-l1', NOTIFY_KIND), ['-p', 'level=1']);
  assert.equal(result.status, 0, result.stderr);
  const graph = JSON.parse(result.stdout) as Record<string, { task: { routes: string[] } }>;
  assert.ok(graph['k-done']!.task.routes.includes('notify.email.done@example.org.on-completed'));
});

test('notify: both forms and an unknown recipient type are located errors', () => {
  const kind = `${NOTIFY_KIND}        notify: {recipients: []}\n`.replace('type: matrix-room', 'type: carrier-pigeon');
  const result = generate(tree('notify-bad', kind));
  assert.equal(result.status, 1);
  assert.match(result.stderr, /kinds\/k\/kind\.yml:\d+:\d+: notifications: task k-legacy has both notify and notifications/);
  assert.match(result.stderr, /kinds\/k\/kind\.yml:\d+:\d+: notify\.recipients\[1\]\.type: .*carrier-pigeon/);
  assert.doesNotMatch(result.stderr, /\n\s+at /);
});

test('notify: a format field that names nothing is located at the string', () => {
  const kind = NOTIFY_KIND.replace("subject: '{task[name]} of {config[kind]}'", "subject: '{task[nmae]}'");
  const result = generate(tree('notify-field', kind));
  assert.equal(result.status, 1);
  assert.match(result.stderr, /kinds\/k\/kind\.yml:\d+:\d+: notify\.content\.email\.subject: k-done: "\{task\[nmae\]\}" in "\{task\[nmae\]\}": a map with the keys [^\n]*name[^\n]* has no entry \[nmae\]/);
});

const WHEN_KIND = `transforms:
    - taskgraph.transforms.run:transforms
    - taskgraph.transforms.task:transforms
task-defaults:
    worker-type: b-linux
    worker:
        docker-image: debian:12
        max-run-time: 600
    run:
        using: run-task
        checkout: false
tasks-from: [more.yml]
tasks:
    lint:
        description: lint
        when:
            files-changed: ['src/**']
        run:
            command: make lint
`;
const MORE = `docs:
    description: docs
    when:
        files-changed: ['docs/**']
    run:
        command: make docs
`;

test('when: files-changed becomes skip-unless-changed, with the kind file and the tasks-from file added', () => {
  const result = generate(tree('when', WHEN_KIND, { 'more.yml': MORE }));
  assert.equal(result.status, 0, result.stderr);
  const graph = JSON.parse(result.stdout) as Record<string, { optimization: unknown }>;
  assert.deepEqual(graph['k-lint']!.optimization, { 'skip-unless-changed': ['src/**', 'taskcluster/kinds/k/kind.yml'] });
  assert.deepEqual(graph['k-docs']!.optimization, { 'skip-unless-changed': ['docs/**', 'taskcluster/kinds/k/kind.yml', 'taskcluster/kinds/k/more.yml'] });
});

test('when together with optimization is a located error', () => {
  const kind = WHEN_KIND.replace("            files-changed: ['src/**']", "            files-changed: ['src/**']\n        optimization: {index-search: [x]}");
  const result = generate(tree('when-bad', kind, { 'more.yml': MORE }));
  assert.equal(result.status, 1);
  assert.match(result.stderr, /kinds\/k\/kind\.yml:\d+:\d+: when: "when" and "optimization" cannot both be given/);
});
