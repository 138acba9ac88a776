// A synthetic taskgraph tree of a given size, shaped like a large real one:
// in-tree images with a parent, kinds split over tasks-from files,
// task-defaults, keyed-by values, caches (some skip-untrusted) and volumes, on
// both worker implementations, and one kind in the short form (`run: using:
// run-task`) with checkouts and tool caches.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SyntheticTree {
  root: string;
  params: string;
  taskCount: number;
}

const IMAGES = ['base', 'build', 'test', 'lint', 'docs'];
/** The kind whose tasks are written in the short form. */
const SHORT_FORM_KIND = 8;

export function writeSyntheticTree(dir: string, taskCount: number): SyntheticTree {
  const root = join(dir, 'taskcluster');
  mkdirSync(join(root, 'kinds'), { recursive: true });
  writeFileSync(
    join(root, 'config.yml'),
    [
      'trust-domain: synth',
      'task-priority: low',
      'taskgraph:',
      '    repositories:',
      '        synth: {name: Synth}',
      '    run:',
      '        use-caches: [checkout, pip]',
      'treeherder:',
      '    group-names: {I: Images, S: Synthetic}',
      'workers:',
      '    aliases:',
      '        images: {provisioner: "synth-{level}", implementation: docker-worker, os: linux, worker-type: images}',
      '        linux: {provisioner: "synth-{level}", implementation: docker-worker, os: linux, worker-type: linux}',
      '        mac: {provisioner: synth-t, implementation: generic-worker, os: macosx, worker-type: mac}',
      '',
    ].join('\n'),
  );
  const params = join(dir, 'params.yml');
  writeFileSync(
    params,
    [
      'base_repository: https://github.com/example/synth',
      'head_repository: https://github.com/example/synth',
      'head_rev: 0123456789abcdef0123456789abcdef01234567',
      'head_ref: refs/heads/main',
      'build_date: 1764201600',
      "level: '3'",
      'owner: bench@example.com',
      'project: synth',
      'repository_type: git',
      'tasks_for: github-push',
      '',
    ].join('\n'),
  );

  const imageKind = join(root, 'kinds', 'docker-image');
  mkdirSync(imageKind, { recursive: true });
  const imageTasks = IMAGES.map((name, i) =>
    [`    ${name}:`, `        symbol: I(${name})`, ...(i > 0 ? ['        parent: base'] : [])].join('\n'),
  );
  writeFileSync(
    join(imageKind, 'kind.yml'),
    [
      'transforms:',
      '    - taskgraph.transforms.docker_image:transforms',
      '    - taskgraph.transforms.cached_tasks:transforms',
      '    - taskgraph.transforms.task:transforms',
      'tasks:',
      ...imageTasks,
      '',
    ].join('\n'),
  );
  for (const name of IMAGES) {
    const context = join(root, 'docker', name);
    mkdirSync(context, { recursive: true });
    writeFileSync(
      join(context, 'Dockerfile'),
      `FROM debian:12\nRUN echo ${name}\nVOLUME /builds/worker/${name}-volume\nVOLUME ["/builds/worker/.cache/${name}"]\n`,
    );
    writeFileSync(join(context, 'setup.sh'), `#!/bin/sh\necho setting up ${name}\n`);
  }

  const kindCount = 10;
  const perKind = Math.ceil(taskCount / kindCount);
  const perFile = 250;
  let written = 0;
  for (let k = 0; k < kindCount && written < taskCount; k++) {
    const kind = `kind${k}`;
    const kindDir = join(root, 'kinds', kind);
    mkdirSync(kindDir, { recursive: true });
    const files: string[] = [];
    const inKind = Math.min(perKind, taskCount - written);
    for (let start = 0; start < inKind; start += perFile) {
      const file = `tasks-${files.length}.yml`;
      files.push(file);
      const lines: string[] = [];
      for (let t = start; t < Math.min(start + perFile, inKind); t++) {
        lines.push(...taskYaml(k, t));
      }
      writeFileSync(join(kindDir, file), lines.join('\n') + '\n');
    }
    written += inKind;
    const mac = k === kindCount - 1;
    const shortForm = k === SHORT_FORM_KIND;
    writeFileSync(join(kindDir, 'kind.yml'), shortForm ? shortFormKindYaml(files) : kindYaml(files, mac));
  }
  return { root, params, taskCount: written + IMAGES.length };
}

function kindYaml(files: string[], mac: boolean): string {
  const worker = mac
    ? [
        '    worker-type: mac',
        '    worker:',
        '        max-run-time: 1800',
        '        mounts:',
        '            - {cache-name: deps, directory: deps}',
      ]
    : [
        '    worker-type: linux',
        '    worker:',
        '        max-run-time:',
        '            by-level:',
        "                '3': 3600",
        '                default: 1800',
        '        env:',
        '            SYNTH: "1"',
        // Every cache is also a volume, as a well-kept tree has it.
        '        volumes: [/builds/worker/scratch, /builds/worker/checkouts, /builds/worker/.task-cache/pip]',
        '        caches:',
        '            - {type: persistent, name: checkouts, mount-point: /builds/worker/checkouts}',
        '            - {type: persistent, name: pip, mount-point: /builds/worker/.task-cache/pip, skip-untrusted: true}',
      ];
  return [
    'transforms:',
    '    - taskgraph.transforms.task:transforms',
    'kind-dependencies: [docker-image]',
    'task-defaults:',
    '    description: synthetic task',
    '    treeherder: {kind: test, tier: 1, platform: linux64/opt}',
    ...worker,
    'tasks-from:',
    ...files.map((f) => `    - ${f}`),
    '',
  ].join('\n');
}

/** Tasks in the short form (`run: using: run-task`): the run transform derives command, checkout and caches. */
function shortFormKindYaml(files: string[]): string {
  return [
    'transforms:',
    '    - taskgraph.transforms.run:transforms',
    '    - taskgraph.transforms.task:transforms',
    'kind-dependencies: [docker-image]',
    'task-defaults:',
    '    description: synthetic short-form task',
    '    treeherder: {kind: test, tier: 1, platform: linux64/opt}',
    '    worker-type: linux',
    '    worker:',
    '        docker-image: {in-tree: build}',
    '        max-run-time: 1800',
    '    run:',
    '        using: run-task',
    "        cwd: '{checkout}'",
    'tasks-from:',
    ...files.map((f) => `    - ${f}`),
    '',
  ].join('\n');
}

function taskYaml(k: number, t: number): string[] {
  if (k === SHORT_FORM_KIND) {
    return [
      `t${t}:`,
      `    treeherder: {symbol: 'S(k${k}t${t})'}`,
      '    run:',
      `        command: make shard-${t}`,
      '    worker:',
      '        env:',
      '            SHARD:',
      '                by-level:',
      `                    '3': '${t}'`,
      "                    default: '0'",
    ];
  }
  const image = IMAGES[(k + t) % IMAGES.length];
  const mac = k === 9;
  const lines = [
    `t${t}:`,
    `    description: synthetic task ${k}.${t}`,
    `    treeherder: {symbol: 'S(k${k}t${t})'}`,
    '    attributes:',
    `        shard: ${t % 8}`,
  ];
  if (mac) {
    lines.push('    worker:', `        command: [[/bin/bash, -c, 'echo ${t}']]`);
  } else {
    lines.push(
      '    worker:',
      t % 3 === 0 ? `        docker-image: debian:12` : `        docker-image: {in-tree: ${image}}`,
      `        command: [/usr/local/bin/run-task, --, bash, -cx, 'make shard-${t}']`,
      '        env:',
      '            SHARD:',
      '                by-level:',
      `                    '3': '${t}'`,
      "                    default: '0'",
    );
  }
  return lines;
}
