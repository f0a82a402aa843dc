import { siteDocument } from '@durable-delivery/ui/site-document'

export default siteDocument('Durable Delivery')
