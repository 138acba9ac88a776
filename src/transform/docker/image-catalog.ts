// In-tree docker images (`<root>/docker/<definition>/`), each looked at once per
// run however many tasks use it: the Dockerfile is read once for its volumes
// and its context collected and hashed once for its digest.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Location } from '../diagnostics.js';
import { contextDigest } from './context-digest.js';
import { ContextError, collectContext, type ContextMember, type ContextProblem } from './context-members.js';
import { parseDockerfileVolumes } from './dockerfile-volumes.js';

export type VolumesResult = { volumes: string[]; dockerfile: string } | { error: string };

/** An image's context: its archive members and their digest, or why it cannot be built. */
export type ContextResult = { digest: string; members: readonly ContextMember[] } | { problem: ContextProblem };

interface ImageDefinition {
  definition: string;
  args: Readonly<Record<string, string>>;
  /** The image's entry in the docker-image kind. */
  location?: Location;
}

export class DockerImageCatalog {
  private readonly definitions = new Map<string, ImageDefinition>();
  private readonly volumes = new Map<string, VolumesResult>();
  private readonly contexts = new Map<string, ContextResult>();
  /** Dockerfile texts seen while collecting a context, keyed by definition. */
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

  /** Recorded by the docker-image transform, so that tasks find the right directory and contexts the right args. */
  define(image: string, definition: string, args: Readonly<Record<string, string>> = {}, location?: Location): void {
    this.definitions.set(image, { definition, args, location });
  }

  private definitionOf(image: string): ImageDefinition {
    return this.definitions.get(image) ?? { definition: image, args: {} };
  }

  /** The images the docker-image kind defined, in the order it defined them. */
  definedImages(): { image: string; location?: Location }[] {
    return [...this.definitions].map(([image, { location }]) => ({ image, location }));
  }

  hasDockerfile(definition: string): boolean {
    return existsSync(this.dockerfilePath(definition));
  }

  /** The `VOLUME` paths of an in-tree image's Dockerfile, or why they cannot be read. */
  volumesOf(image: string): VolumesResult {
    const cached = this.volumes.get(image);
    if (cached) return cached;
    const { definition } = this.definitionOf(image);
    const dockerfile = this.dockerfilePath(definition);
    let result: VolumesResult;
    if (!existsSync(dockerfile)) {
      result = {
        error: `in-tree image "${image}" has no Dockerfile: ${dockerfile} does not exist (add it, or use an image from a registry)`,
      };
    } else {
      try {
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

  /** The context of an image: collected and hashed once per run, as its definition and args make it. */
  contextOf(image: string): ContextResult {
    let result = this.contexts.get(image);
    if (result === undefined) {
      const { definition, args } = this.definitionOf(image);
      try {
        const { members, dockerfileText } = collectContext({ root: this.root, definition, args });
        if (!this.dockerfiles.has(definition)) this.dockerfiles.set(definition, dockerfileText);
        result = { digest: contextDigest(members), members };
      } catch (error) {
        if (!(error instanceof ContextError)) throw error;
        result = { problem: error.problem };
      }
      this.contexts.set(image, result);
    }
    return result;
  }
}
