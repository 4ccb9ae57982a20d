/** An API error: `status` with the `{"error": [...]}` body jobs-api and the gateway use. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly messages: string[], readonly body?: unknown) {
    super(messages.join('\n'))
  }
}

export const notFound = (name: string): ApiError => new ApiError(404, [`Job '${name}' does not exist`])

/** A failure of `toolforge sandbox start|stop|…` with a message meant for the user. */
export class SandboxError extends Error {}
