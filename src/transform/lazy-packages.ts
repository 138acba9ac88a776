// ajv and the `yaml` package, loaded on first use rather than when the CLI
// starts: a run over a valid tree needs neither (values come from js-yaml,
// validity from the validators generated at build time), and loading them cost
// about 0.1 s of every run. They are wanted only to word a problem (compiled,
// verbose validators), to locate one (YAML positions), or for small inputs
// (parameter overrides).
import { createRequire } from 'node:module';
import type * as AjvModule from 'ajv';
import type * as YamlModule from 'yaml';

const require = createRequire(import.meta.url);

let yaml: typeof YamlModule | undefined;
export function yamlPackage(): typeof YamlModule {
  return (yaml ??= require('yaml') as typeof YamlModule);
}

export interface AjvPackage {
  Ajv: typeof AjvModule.Ajv;
  MissingRefError: typeof AjvModule.MissingRefError;
  addFormats: (ajv: AjvModule.Ajv) => AjvModule.Ajv;
}

let ajv: AjvPackage | undefined;
export function ajvPackage(): AjvPackage {
  if (!ajv) {
    const { Ajv, MissingRefError } = require('ajv') as typeof AjvModule;
    // ajv-formats is CommonJS with the plugin as module.exports (and as .default).
    const formats = require('ajv-formats') as { default?: AjvPackage['addFormats'] } & AjvPackage['addFormats'];
    ajv = { Ajv, MissingRefError, addFormats: formats.default ?? formats };
  }
  return ajv;
}
