// Adds an index route per task, built from the parameters and config.yml:
// the port of a Python transform that docs/plugins.md walks through.
import { TransformSequence, type TaskDescription, type TransformConfig } from 'tc-payload';
import { indexRoute } from '../util/routes.js';

export const transforms = new TransformSequence();

transforms.add(function* addRoutes(config: TransformConfig, tasks: Iterable<TaskDescription>) {
  const trustDomain = String(config.graphConfig['trust-domain']);
  const project = String(config.params.project);
  const revision = String(config.params.head_rev);
  for (const task of tasks) {
    const routes = task.routes ?? [];
    routes.push(indexRoute(trustDomain, project, revision, String(task.name)));
    task.routes = routes;
    yield task;
  }
});
