/** All of stdin as bytes; refuses to wait on an interactive terminal where nobody would know to type. */
export async function readStdinBytes(): Promise<Buffer> {
  if (process.stdin.isTTY) throw new Error('stdin is a terminal; pipe the input or pass a file')
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer))
  return Buffer.concat(chunks)
}

export async function readStdin(): Promise<string> {
  return (await readStdinBytes()).toString('utf8')
}
