// Treeherder annotations: `extra.treeherder` and the route treeherder listens
// on, with taskgraph's defaults for whatever the task leaves out.
import type { Parameters } from '../model.js';

export interface TreeherderSpec {
  symbol: string;
  kind: string;
  tier: number;
  platform: string;
}

/**
 * taskgraph's defaults: symbol = the upper-cased first letter of each
 * `-`-separated part of the kind (docker-image → DI); job kind build/test when
 * the kind name says so, else other; tier 1; platform default/opt.
 */
export function treeherderDefaults(kind: string): TreeherderSpec {
  return {
    symbol: kind
      .split('-')
      .map((part) => part.charAt(0))
      .join('')
      .toUpperCase(),
    kind: kind.includes('build') ? 'build' : kind.includes('test') ? 'test' : 'other',
    tier: 1,
    platform: 'default/opt',
  };
}

/** `GRP(SYM)` → ['GRP', 'SYM']; a bare symbol has group '?'. */
export function splitSymbol(symbol: string): [string, string] {
  const m = /^([^(]*)\(([^)]*)\)$/.exec(symbol);
  return m ? [m[1]!, m[2]!] : ['?', symbol];
}

/** The project treeherder files the push under: the base repository's name + `-pr` for pull requests. */
export function treeherderProject(params: Parameters): string {
  if (String(params.tasks_for).startsWith('github-pull-request')) {
    let base = String(params.base_repository).split('/').pop() ?? '';
    if (base.endsWith('.git')) base = base.slice(0, -4);
    return `${base}-pr`;
  }
  return String(params.project);
}

/** `tc-treeherder.v2.<project>.<head_rev>[.<pushlog_id>]` */
export function treeherderRoute(params: Parameters): string {
  const parts = ['tc-treeherder', 'v2', treeherderProject(params), String(params.head_rev)];
  if (params.pushlog_id !== undefined && params.pushlog_id !== null && String(params.pushlog_id) !== '') {
    parts.push(String(params.pushlog_id));
  }
  return parts.join('.');
}

export const MAX_SYMBOL_LENGTH = 25;
