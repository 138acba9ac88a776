// taskgraph's shell quoting (util/shell.py): words left alone when the shell
// would not change them, otherwise single-quoted.
const NEEDS_QUOTES = /[\\\t\r\n '"#<>&|`(){}$;*?]/;

export function shellQuote(...words: string[]): string {
  return words
    .map((word) => (word !== '' && !NEEDS_QUOTES.test(word) && !word.startsWith('~') ? word : `'${word.replaceAll("'", "'\\''")}'`))
    .join(' ');
}
