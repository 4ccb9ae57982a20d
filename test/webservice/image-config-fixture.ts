// An images-v1.yaml as a cluster publishes it in the ConfigMap tf-public/image-config: the php7.4 entry
// of webservice.md §2.1 verbatim, a base image without a webservice variant, a type this CLI's catalogue
// does not have (php9.9, jdk21), and python3.11 marked deprecated where the catalogue says stable.
// python3.9 and the rest of the catalogue are absent.

export const IMAGE_CONFIG_URL = '/api/v1/namespaces/tf-public/configmaps/image-config'

export const IMAGES_V1 = `
bookworm:
  image: docker-registry.tools.wmflabs.org/toolforge-bookworm-sssd
  state: stable
  aliases: [tf-bookworm, toolforge-bookworm-sssd]
  variants:
    jobs-framework:
      image: docker-registry.tools.wmflabs.org/toolforge-bookworm-sssd
php7.4:
  image: docker-registry.tools.wmflabs.org/toolforge-php74-sssd-web   # newer configs
  state: stable
  aliases: [tf-php74, toolforge-php74, toolforge-php74-sssd-base, toolforge-php74-sssd-web]
  webservice-defaults:            # 2026 (jobs-api branch): used by jobs-api webservice jobs
    command: ["/usr/bin/webservice-runner", "--type", "lighttpd", "--port", "$PORT"]
    port: 8000
  variants:
    jobs-framework:
      image: docker-registry.tools.wmflabs.org/toolforge-php74-sssd-base
    webservice:
      image: docker-registry.tools.wmflabs.org/toolforge-php74-sssd-web
      extra:
        wstype: lighttpd        # selects the toolsws.wstypes class
        # resources: jdk        # only for jdk images
php9.9:
  image: docker-registry.svc.toolforge.org/toolforge-php99-sssd-web
  state: stable
  variants:
    jobs-framework:
      image: docker-registry.svc.toolforge.org/toolforge-php99-sssd-base
    webservice:
      image: docker-registry.svc.toolforge.org/toolforge-php99-sssd-web
      extra: {wstype: lighttpd}
jdk21:
  image: docker-registry.svc.toolforge.org/toolforge-jdk21-sssd-web
  state: stable
  variants:
    webservice:
      image: docker-registry.svc.toolforge.org/toolforge-jdk21-sssd-web
      extra: {wstype: generic, resources: jdk}
python3.11:
  image: docker-registry.tools.wmflabs.org/toolforge-python311-sssd-web
  state: deprecated
  variants:
    webservice:
      image: docker-registry.tools.wmflabs.org/toolforge-python311-sssd-web
      extra: {wstype: python}
`

/** The ConfigMap object the Kubernetes API answers with. */
export function imageConfigMap(text = IMAGES_V1): Record<string, unknown> {
  return {kind: 'ConfigMap', apiVersion: 'v1', metadata: {name: 'image-config', namespace: 'tf-public'}, data: {'images-v1.yaml': text}}
}
