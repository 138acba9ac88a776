// The two ways fetch-content stops early, as its command line promises: a
// command line it cannot read (exit status 2, with the usage), and a fetch
// that failed (exit status 1). main.ts prints either as one line per problem,
// without a stack trace.
export class UsageError extends Error {
  constructor(
    message: string,
    /** The subcommand whose usage to print, when known. */
    readonly command?: string,
  ) {
    super(message);
  }
}

export class FetchContentError extends Error {}
