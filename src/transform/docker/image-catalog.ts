// In-tree docker images (`<root>/docker/<definition>/`), each looked at once per
// run however many tasks use it: the Dockerfile is read once for its volumes
// and the context hashed once for its digest.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contextDigest } from './context-digest.js';
import { parseDockerfileVolumes } from './dockerfile-volumes.js';

export type VolumesResult = { volumes: string[]; dockerfile: string } | { error: string };

export class DockerImageCatalog {
  /** Image name → definition directory name, as the docker-image kind declared it. */
  private readonly definitions = new Map<string, string>();
  private readonly volumes = new Map<string, VolumesResult>();
  private readonly digests = new Map<string, string>();
  /** Dockerfile texts seen while hashing a context, keyed by definition. */
  private readonly dockerfiles = new Map<string, string>();

  constructor(readonly root: string) {}

  get dockerDir(): string {
    return join(this.root, 'docker');
  }

  contextDir(definition: string): string {
    return join(this.dockerDir, definition);
  }

  dockerfilePath(definition: string): string {
    return join(this.contextDir(definition), 'Dockerfile');
  }

  /** Recorded by the docker-image transform, so that tasks find the right directory. */
  define(image: string, definition: string): void {
    this.definitions.set(image, definition);
  }

  definitionOf(image: string): string {
    return this.definitions.get(image) ?? image;
  }

  hasDockerfile(definition: string): boolean {
    return existsSync(this.dockerfilePath(definition));
  }

  /** The `VOLUME` paths of an in-tree image's Dockerfile, or why they cannot be read. */
  volumesOf(image: string): VolumesResult {
    const cached = this.volumes.get(image);
    if (cached) return cached;
    const dockerfile = this.dockerfilePath(this.definitionOf(image));
    let result: VolumesResult;
    if (!existsSync(dockerfile)) {
      result = {
        error: `in-tree image "${image}" has no Dockerfile: ${dockerfile} does not exist (add it, or use an image from a registry)`,
      };
    } else {
      try {
        const definition = this.definitionOf(image);
        const text = this.dockerfiles.get(definition) ?? readFileSync(dockerfile, 'utf8');
        result = { volumes: parseDockerfileVolumes(text), dockerfile };
      } catch (err) {
        const line = (err as { line?: number }).line;
        result = { error: `${dockerfile}${line ? `:${line}` : ''}: ${(err as Error).message}` };
      }
    }
    this.volumes.set(image, result);
    return result;
  }

  /** Content digest of a definition's context directory (hashed once per run). */
  contextDigestOf(definition: string): string {
    let digest = this.digests.get(definition);
    if (digest === undefined) {
      digest = contextDigest(this.contextDir(definition), (rel, content) => {
        if (rel === 'Dockerfile') this.dockerfiles.set(definition, content.toString('utf8'));
      });
      this.digests.set(definition, digest);
    }
    return digest;
  }
}
