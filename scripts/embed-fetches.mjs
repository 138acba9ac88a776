// The fetch code of run-task (src/runtime/fetch/, with execa) is bundled on
// its own and kept inside dist/run-task as compressed text, compiled only by
// a run that has fetches. Bundled as plain code it made every run-task start
// 70 to 90 ms of CPU later (measured, median and minimum of 21 runs:
// Node.js compiles the whole file before running any of it, and execa is
// most of it), a task with fetches or not; as compressed text it costs about
// a millisecond to read past. dist/run-task stays one file.
//
// The fetch code shares two modules with the rest of run-task: failure.ts
// (main.ts recognises a RunTaskExit by its class, so there must be one class)
// and log.ts. Its bundle leaves them out and is handed run-task's own.
import { build } from 'esbuild';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const SHARED = { '../failure.js': 'failure.ts', '../log.js': 'log.ts' };
const PREFIX = 'run-task-shared:';

/** The esbuild plugin of the dist/run-task build that puts the fetch bundle in place of src/runtime/fetch/fetches.ts. */
export function embedFetches(root) {
  const runtime = join(root, 'src', 'runtime');
  return {
    name: 'embed-fetches',
    setup(outer) {
      outer.onResolve({ filter: /^\.\/fetch\/fetches\.js$/ }, (args) =>
        args.importer === join(runtime, 'main.ts') ? { path: 'fetches', namespace: 'embedded-fetches' } : undefined,
      );
      outer.onLoad({ filter: /.*/, namespace: 'embedded-fetches' }, async () => {
        const code = await bundleFetches(runtime);
        const text = gzipSync(code, { level: 9 }).toString('base64');
        const requires = Object.entries(SHARED)
          .map(([, file], i) => `import * as shared${i} from ${JSON.stringify(join(runtime, file))};`)
          .join('\n');
        const table = Object.values(SHARED)
          .map((file, i) => `${JSON.stringify(PREFIX + file)}: shared${i}`)
          .join(', ');
        return {
          resolveDir: runtime,
          loader: 'js',
          contents: `${requires}
import { compileFunction } from 'node:vm';
import { gunzipSync } from 'node:zlib';
const shared = { ${table} };
const source = gunzipSync(Buffer.from(${JSON.stringify(text)}, 'base64')).toString('utf8');
const module = { exports: {} };
compileFunction(source, ['module', 'exports', 'require'], { filename: 'run-task (fetches)' })(
  module, module.exports, (id) => shared[id] ?? require(id));
export const runFetches = module.exports.runFetches;
`,
        };
      });
    },
  };
}

async function bundleFetches(runtime) {
  const result = await build({
    entryPoints: [join(runtime, 'fetch', 'fetches.ts')],
    bundle: true,
    write: false,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [
      {
        name: 'shared-with-run-task',
        setup(inner) {
          inner.onResolve({ filter: /^\.\.\/(failure|log)\.js$/ }, (args) =>
            args.importer.startsWith(join(runtime, 'fetch')) ? { path: PREFIX + SHARED[args.path], external: true } : undefined,
          );
        },
      },
    ],
  });
  return Buffer.from(result.outputFiles[0].contents);
}
