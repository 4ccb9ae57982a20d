import nock from 'nock'

// Unit tests never touch the network; tests that run local servers opt in to loopback explicitly.
nock.disableNetConnect()
process.env.NO_COLOR = '1'
// Keep retry back-off short so error-path tests stay fast; the retry count is unchanged.
process.env.TOOLFORGE_RETRY_BASE_MS = '5'
delete process.env.TOOLFORGE_DEBUG
delete process.env.TOOL_TOOLFORGE_API_URL
delete process.env.KUBECONFIG
delete process.env.TOOLFORGE_CA_FILE
delete process.env.TOOLFORGE_CONTENT_TYPE

export const mochaHooks = {
  afterEach() {
    nock.cleanAll()
  },
}
