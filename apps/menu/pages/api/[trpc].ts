import { menuRouter } from '@durable-delivery/api'
import { createSiteApiHandler } from '@durable-delivery/api/next-handler'

export default createSiteApiHandler(menuRouter, 'menu')

// tRPC reads the body itself (a bare JSON string input, `"<uuid>"`, parsed by Next first, would
// reach it as text it cannot tell from raw JSON); next-handler.ts keeps Next's 1 MB cap.
export const config = { api: { bodyParser: false } }
