import { menuRouter } from '@durable-delivery/api'
import { createSiteApiHandler } from '@durable-delivery/api/next-handler'

export default createSiteApiHandler(menuRouter, 'menu')
