import { siteNextConfig } from '@durable-delivery/api/next-config'

export default siteNextConfig(import.meta.dirname)
