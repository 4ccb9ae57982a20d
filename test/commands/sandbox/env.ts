/** Runs with these variables set, as after `eval "$(toolforge sandbox env)"`. */
export async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = {...process.env}
  Object.assign(process.env, env)
  try {
    return await fn()
  } finally {
    for (const key of Object.keys(env)) {
      if (saved[key] === undefined) delete process.env[key]
      else process.env[key] = saved[key]
    }
  }
}

/** Runs as if the process had this uid (the root warning depends on it). */
export async function asUid<T>(uid: number, fn: () => Promise<T>): Promise<T> {
  const real = process.getuid
  process.getuid = () => uid
  try {
    return await fn()
  } finally {
    process.getuid = real
  }
}
