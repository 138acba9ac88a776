/** What a fetch type contributes to its task. */
export interface FetchCommand {
  /** Run by run-task, without a checkout. */
  command: string[];
  /** The uploaded file's name below the artifact prefix. */
  artifactName: string;
  /** Hashed into the cache digest. */
  digestData: string[];
  /** A Taskcluster secret the command reads (through the proxy). */
  secret?: string;
}
