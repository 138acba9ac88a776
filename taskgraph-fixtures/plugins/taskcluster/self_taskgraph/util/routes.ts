// Imported by the transform: plugins may be split into modules like any TypeScript.
export function indexRoute(trustDomain: string, project: string, revision: string, name: string): string {
  return `index.${trustDomain}.v2.${project}.revision.${revision}.${name}`;
}
