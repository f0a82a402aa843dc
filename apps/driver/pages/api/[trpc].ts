import { driverRouter } from '@durable-delivery/api'
import { createSiteApiHandler } from '@durable-delivery/api/next-handler'

export default createSiteApiHandler(driverRouter, 'driver')
