// GENERATED FILE, DO NOT EDIT. Generated from schemas/queue-task.yml
// by `npm run generate-types` (scripts/generate-types.mjs); edit the schema and rerun that.
/* eslint-disable */

/**
 * A v4 UUID as 22 characters of URL-safe base64 without padding.
 */
export type SlugId = string;
/**
 * A scope, made of printable ASCII characters and spaces.
 */
export type Scope = string;

/**
 * A task definition as submitted to the queue's createTask endpoint.
 */
export interface QueueTaskDefinition {
  /**
   * First half of the task queue (older form, with workerType).
   */
  provisionerId?: string;
  /**
   * Second half of the task queue (older form, with provisionerId).
   */
  workerType?: string;
  /**
   * The task queue, `<provisionerId>/<workerType>`.
   */
  taskQueueId?: string;
  /**
   * Shared by every task of a task group; appears in scopes and routing keys.
   */
  schedulerId?: string;
  /**
   * The project the task belongs to, for permissions and usage reporting.
   */
  projectId?: string;
  taskGroupId?: SlugId;
  /**
   * Task ids that must resolve before this task is scheduled.
   *
   * @maxItems 10000
   */
  dependencies?: SlugId[];
  /**
   * Whether dependencies must complete successfully or only resolve.
   */
  requires?: 'all-completed' | 'all-resolved';
  /**
   * Routes that Pulse messages about the task are CC'ed to.
   *
   * @maxItems 64
   */
  routes?: string[];
  /**
   * Scheduling priority; `normal` is treated as `lowest`.
   */
  priority?: 'highest' | 'very-high' | 'high' | 'medium' | 'low' | 'very-low' | 'lowest' | 'normal';
  /**
   * How often the queue retries the task after infrastructure failures.
   */
  retries?: number;
  /**
   * When the task was created.
   */
  created: string;
  /**
   * When the task must be resolved by (at most 5 days after creation).
   */
  deadline: string;
  /**
   * When the task and its artifacts are deleted.
   */
  expires?: string;
  /**
   * Scopes the task may use while it runs.
   */
  scopes?: Scope[];
  /**
   * The worker-specific part; see the worker implementation's payload schema.
   */
  payload: {
    [k: string]: unknown;
  };
  metadata: TaskMetadata;
  /**
   * Free-form string tags (each at most 4096 characters).
   */
  tags?: {
    [k: string]: string;
  };
  /**
   * Any further data about the task (for example treeherder and index information).
   */
  extra?: {
    [k: string]: unknown;
  };
}
/**
 * What the task is, who is responsible for it and where it is defined.
 */
export interface TaskMetadata {
  /**
   * A short human-readable name.
   */
  name: string;
  /**
   * What the task does.
   */
  description: string;
  /**
   * Who to contact about the task (by convention an email address).
   */
  owner: string;
  /**
   * Where the task is defined; http(s), ssh or git@ links only.
   */
  source: {
    [k: string]: unknown;
  } & string;
}
