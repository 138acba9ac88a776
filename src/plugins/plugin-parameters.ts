// The parameters `register` added (registry.parameters): their defaults filled
// in where params.yml and `-p` leave them out, and their values checked
// against the plugin's schema, located in params.yml like taskgraph's own.
import type { Diagnostic } from '../transform/diagnostics.js';
import type { ExtraParameters } from '../transform/load/parameters.js';
import type { GraphConfig, SourceMap } from '../transform/model.js';
import { isRecord } from '../transform/plain-data.js';
import { callPlugin } from './call-plugin.js';
import { notJson } from './plugin-output.js';
import type { Registrations } from './registrations.js';

export function pluginParameters(
  registrations: Registrations,
  config: GraphConfig,
  configSource: SourceMap,
  taskgraphRoot: string,
): ExtraParameters {
  const entry = () => configSource.locate(['taskgraph', 'register']);
  const who = `register "${registrations.registerName}"`;
  return {
    names: registrations.parameterNames(),
    complete(params: Record<string, unknown>, source: SourceMap): Diagnostic[] {
      const diagnostics: Diagnostic[] = [];
      for (const extension of registrations.parameters) {
        let defaults: unknown = extension.defaults;
        if (typeof defaults === 'function') {
          const given = Object.freeze({ ...params });
          const fn = defaults as (c: GraphConfig, p: Record<string, unknown>) => unknown;
          const called = callPlugin(() => fn(config, given), `the parameter defaults of ${who} (${extension.names.join(', ')})`, taskgraphRoot, entry);
          if (!called.ok) {
            diagnostics.push(called.diagnostic);
            continue;
          }
          defaults = called.value;
        }
        const bad = defaults === undefined ? undefined : isRecord(defaults) ? notJson(defaults, '') : 'the defaults';
        if (bad) {
          diagnostics.push({
            severity: 'error',
            message: `the parameter defaults of ${who} are not JSON data at ${bad}`,
            location: entry(),
            expected: 'an object of parameter names to plain JSON values',
          });
          continue;
        }
        const values: Record<string, unknown> = {};
        for (const name of extension.names) {
          if (params[name] === undefined && isRecord(defaults) && Object.hasOwn(defaults, name)) params[name] = structuredClone(defaults[name]);
          if (params[name] !== undefined) values[name] = params[name];
        }
        diagnostics.push(...extension.schema.validate(values, source));
      }
      return diagnostics;
    },
  };
}
