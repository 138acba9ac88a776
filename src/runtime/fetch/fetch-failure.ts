// Why one attempt at a fetch failed, and whether another attempt may succeed:
// the network and a busy or failing server may pass; an answer such as 404, a
// disk that refuses the file or an archive that does not extract will not.
export class FetchFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** The HTTP status, when the server answered with an error. */
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}
