// Index routes of taskgraph's "generic" index type: a task with
// `index: {product, job-name}` is findable by latest, push date, pushlog id and
// revision under `index.<trust-domain>.v2.<project>.…`.
import type { Parameters } from '../model.js';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY.MM.DD.YYYYMMDDHHMMSS` of the build date, in UTC. */
export function buildDateLong(buildDate: number): string {
  const d = new Date(buildDate * 1000);
  const y = pad(d.getUTCFullYear(), 4);
  const mo = pad(d.getUTCMonth() + 1);
  const day = pad(d.getUTCDate());
  return `${y}.${mo}.${day}.${y}${mo}${day}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

export function genericIndexRoutes(trustDomain: string, params: Parameters, product: string, jobName: string): string[] {
  const base = `index.${trustDomain}.v2.${params.project}`;
  const tail = `${product}.${jobName}`;
  return [
    `${base}.latest.${tail}`,
    `${base}.pushdate.${buildDateLong(params.build_date)}.${tail}`,
    `${base}.pushlog-id.${params.pushlog_id ?? '0'}.${tail}`,
    `${base}.revision.${params.head_rev}.${tail}`,
  ];
}
