// Which transforms a kind runs: its kind.yml `transforms:` list looked up in the
// registry, every unknown or unsupported module reported where it is listed.
import type { PluginModules } from '../../plugins/load-plugin.js';
import { pluginTransform } from '../../plugins/plugin-transform.js';
import type { Diagnostic } from '../diagnostics.js';
import type { LoadedKind } from '../model.js';
import {
  DEFAULT_LOADER_TRANSFORMS,
  lookupTransform,
  normalizeTransformName,
  supportedTransforms,
  TASK_TRANSFORM,
  unsupportedReason,
} from './registry.js';
import type { KindStage } from './types.js';

const DEFAULT_LOADER = 'taskgraph.loader.default:loader';

/**
 * The item transforms of a kind, or the located errors of its `transforms:` list.
 * A module outside `taskgraph.` is a plugin of the repository's own, from `plugins`.
 */
export function kindTransforms(kind: LoadedKind, diagnostics: Diagnostic[], plugins?: PluginModules): KindStage[] | undefined {
  const found: KindStage[] = [];
  let ok = true;
  let endsWithTask = false;
  kind.transforms.forEach((name, index) => {
    const registered = lookupTransform(name);
    endsWithTask = registered?.kind === 'task';
    if (registered?.kind === 'items') found.push(registered.run);
    if (registered) return;
    if (plugins && !name.startsWith('taskgraph.')) {
      const plugin = pluginTransform(name, index, kind, plugins, diagnostics);
      if (plugin) found.push(plugin);
      else ok = false;
      return;
    }
    ok = false;
    const reason = unsupportedReason(name);
    diagnostics.push({
      severity: 'error',
      message: `transform module "${name}" is not supported${reason ? `: ${reason}` : ''}`,
      location: kind.configSource.locate(['transforms', index]),
      path: ['transforms', index],
      expected: `one of: ${supportedTransforms().join(', ')}`,
    });
  });
  // taskgraph's default loader (also used when kind.yml names no loader)
  // appends the run and task transforms itself. Listing them too is tolerated
  // here: each is added only when missing.
  const loader = kind.config.loader;
  const defaultLoader = loader === undefined || loader === DEFAULT_LOADER;
  if (ok && defaultLoader) {
    const listed = new Set(kind.transforms.map(normalizeTransformName));
    for (const name of DEFAULT_LOADER_TRANSFORMS) {
      const registered = lookupTransform(name);
      if (!listed.has(name) && registered?.kind === 'items') found.push(registered.run);
    }
    return found;
  }
  if (ok && !endsWithTask) {
    ok = false;
    diagnostics.push({
      severity: 'error',
      message: `the transforms of kind ${kind.name} must end with ${TASK_TRANSFORM}, which makes task definitions of the descriptions`,
      location: kind.configSource.locate(['transforms']),
      path: ['transforms'],
      hint: `add \`- ${TASK_TRANSFORM}:transforms\` as the last entry`,
    });
  }
  return ok ? found : undefined;
}
