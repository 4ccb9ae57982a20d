import type {Image} from '../../api/jobs-types.js'
import {BaseCommand} from '../../base-command.js'
import {renderTable} from '../../ui/table.js'

// Q-JOBS-03 fixed on purpose: the ≈2025 CLI labels the second column `image` through a header-key
// mismatch; we print the intended `Container image URL` (as v14 did).
const HEAD = ['Short name', 'Container image URL']

export default class JobsImages extends BaseCommand {
  static override summary = 'List information on available container image types for Toolforge jobs.'
  static override enableJsonFlag = true
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  async run(): Promise<{images: Image[]}> {
    await this.parse(JobsImages)
    const images = await this.jobsClient().images()
    if (!this.jsonEnabled()) {
      this.print(await renderTable(HEAD, images.map((image) => [image.shortname, image.image]), {align: 'center'}))
    }

    return {images}
  }
}
