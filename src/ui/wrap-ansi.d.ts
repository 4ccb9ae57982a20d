// wrap-ansi 7 ships no types; @types/wrap-ansi is only present as another package's dependency.
// When it is installed TypeScript resolves to it and this declaration stays unused.
declare module 'wrap-ansi' {
  function wrapAnsi(input: string, columns: number, options?: {hard?: boolean; wordWrap?: boolean; trim?: boolean}): string
  export = wrapAnsi
}
