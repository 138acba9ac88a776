// Adds the release index route of each task, from the parameter `release_type`
// that self_taskgraph's register declares (nightly unless params.yml says).
import { TransformSequence, type TaskDescription, type TransformConfig } from 'tc-payload';

export const transforms = new TransformSequence();

transforms.add(function* releaseRoutes(config: TransformConfig, tasks: Iterable<TaskDescription>) {
  const trustDomain = String(config.graphConfig['trust-domain']);
  const releaseType = String(config.params.release_type);
  for (const task of tasks) {
    task.routes = [...(task.routes ?? []), `index.${trustDomain}.v2.${String(config.params.project)}.${releaseType}.latest.${String(task.name)}`];
    yield task;
  }
});
