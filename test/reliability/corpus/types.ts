/** One bad input: the CLI must refuse it itself, with this exit code and a message matching `message`. */
export interface Case {
  name: string
  /** `{HOME}` in an argument stands for the tool's home directory. */
  argv: string[]
  exit: 1 | 2
  /** Matched against the whole of stderr (some messages keep the reason on a detail line). */
  message: RegExp
  /** Files to create under the home before running; `null` makes a directory. */
  files?: Record<string, string | Buffer | null>
  /** Environment for this case; `{HOME}` in a value stands for the tool's home directory. */
  env?: Record<string, string>
  /** Detail lines a long report may add after the ERROR line (default 2). */
  maxLines?: number
}
