// The payload of a signing scriptworker (taskgraph's
// `@payload_builder("scriptworker-signing", schema=…)`): which artifacts of
// which upstream tasks to sign, with which certificate.
import type { PayloadBuilder, TaskDescription, TaskDefinition, TransformConfig } from 'tc-payload';

interface UpstreamArtifact {
  taskId: { 'task-reference': string };
  taskType: string;
  paths: string[];
  formats: string[];
}

const upstreamArtifact = {
  type: 'object',
  additionalProperties: false,
  required: ['taskId', 'taskType', 'paths', 'formats'],
  properties: {
    taskId: { type: 'object', required: ['task-reference'], properties: { 'task-reference': { type: 'string' } }, additionalProperties: false },
    taskType: { type: 'string' },
    paths: { type: 'array', items: { type: 'string' }, minItems: 1 },
    formats: { type: 'array', items: { type: 'string' }, minItems: 1 },
  },
};

export const signing: PayloadBuilder = {
  // The task's `worker` section.
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['signing-type', 'upstream-artifacts'],
    properties: {
      'signing-type': { type: 'string', enum: ['dep-signing', 'release-signing'] },
      'upstream-artifacts': { type: 'array', items: upstreamArtifact, minItems: 1 },
      'max-run-time': { type: 'integer', minimum: 1 },
    },
  },
  // What the signing worker accepts (task references already stand for task ids here).
  payloadSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['upstreamArtifacts', 'maxRunTime'],
    properties: {
      upstreamArtifacts: {
        type: 'array',
        items: {
          type: 'object',
          required: ['taskId', 'taskType', 'paths', 'formats'],
          properties: { taskId: { type: 'string', pattern: '^[A-Za-z0-9_-]{22}$' }, taskType: { type: 'string' }, paths: { type: 'array' }, formats: { type: 'array' } },
        },
      },
      maxRunTime: { type: 'integer' },
    },
  },
  build(config: TransformConfig, task: Readonly<TaskDescription>, taskDef: TaskDefinition) {
    const worker = task.worker as { 'signing-type': string; 'upstream-artifacts': UpstreamArtifact[]; 'max-run-time'?: number };
    taskDef.scopes.push(`project:${String(config.graphConfig['trust-domain'])}:releng:signing:cert:${worker['signing-type']}`);
    return {
      upstreamArtifacts: worker['upstream-artifacts'],
      maxRunTime: worker['max-run-time'] ?? 600,
    };
  },
};
