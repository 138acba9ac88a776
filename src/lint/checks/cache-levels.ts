// Trust levels keep their caches apart: a level-1 task (any pull request) must
// never write a cache that a level-3 task (a release) reads. Taskgraph names
// each cache `<trust-domain>-level-<N>-…` for that reason; this check finds
// where that broke down: one cache name used by tasks of different levels, or
// a cache named for one level in a task of another. It needs to see several
// levels at once, so it runs over every configuration (or graph file) of a run
// together, not over one.
import type { Location, YamlPath } from '../../transform/diagnostics.js';
import { relatedAt, type Finding } from '../finding.js';
import { RULES } from '../rules.js';

/** One use of a cache by a task, in one configuration: small, so that threads can send it. */
export interface LevelledCacheUse {
  name: string;
  declaredName: string;
  mountPoint: string;
  level: string;
  task: string;
  location?: Location;
  path: YamlPath;
  configuration: string;
}

const LEVEL_IN_NAME = /-level-(\d+)-/;

export function checkCacheLevels(uses: readonly LevelledCacheUse[]): Finding[] {
  const findings: Finding[] = [];
  const byName = new Map<string, LevelledCacheUse[]>();
  for (const use of uses) {
    const list = byName.get(use.name);
    if (list) list.push(use);
    else byName.set(use.name, [use]);
  }
  for (const [name, list] of byName) {
    const named = LEVEL_IN_NAME.exec(name)?.[1];
    const levels = [...new Set(list.map((u) => u.level))].sort((a, b) => Number(b) - Number(a));
    for (const use of list) {
      if (named !== undefined && named !== use.level) {
        findings.push(finding(use, `task ${use.task} runs at level ${use.level} but mounts cache ${name}, which is named for level ${named}`, []));
        continue;
      }
      if (levels.length < 2 || use.level === levels[0]) continue;
      // Reported on the lower level's task, naming one task of the highest level.
      const other = list.find((u) => u.level === levels[0])!;
      findings.push(
        finding(
          use,
          `cache "${use.declaredName}" (${name}) is used by task ${use.task} at level ${use.level} and by task ${other.task} at level ${other.level}; ` +
            'the lower level can then write what the higher one trusts',
          relatedAt(other.location, `task ${other.task} uses it at level ${other.level}`),
        ),
      );
    }
  }
  return findings;
}

function finding(use: LevelledCacheUse, message: string, related: Finding['related']): Finding {
  return {
    rule: RULES.cacheSharedAcrossLevels.id,
    severity: RULES.cacheSharedAcrossLevels.severity,
    message,
    ...(use.location ? { location: use.location } : {}),
    path: use.path,
    task: use.task,
    hint: 'put the level in the cache name (<trust-domain>-level-<level>-<name>, as taskgraph does), so that each level has its own cache',
    related,
    configurations: [use.configuration],
  };
}
