// `run: using: bare`: the command runs as it is, in the image's shell, without
// run-task or a checkout (a task that works on artifacts or on the image alone).
import type { RunUsing, TaskDescription, TransformConfig } from 'tc-payload';

export const bare: RunUsing = {
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['command'],
    properties: {
      command: {
        description: 'A shell command line, or the lines of a script run in order.',
        anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }],
      },
      workdir: { type: 'string', description: 'Where the command runs.' },
    },
  },
  defaults: { workdir: '/builds/worker' },
  build(config: TransformConfig, run, task: TaskDescription) {
    const lines = typeof run.command === 'string' ? [run.command] : (run.command as string[]);
    const worker = task.worker ?? {};
    worker.command = ['bash', '-cx', [`cd ${String(run.workdir)}`, ...lines].join(' && ')];
    worker.env = { ...(worker.env as Record<string, string> | undefined), WIDGET_LEVEL: String(config.params.level) };
    task.worker = worker;
  },
};
