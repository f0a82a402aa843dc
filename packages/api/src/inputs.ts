import { z } from 'zod'
import { getProductById } from '@durable-delivery/common'

/** Order ids are UUIDs chosen by the menu; they are also the workflow ids. */
export const orderIdInput = z.uuid({ error: 'orderId must be a UUID' })

/** A dish on the menu: anything else is refused before any workflow starts. */
export const productIdInput = z
  .number({ error: 'productId must be a number' })
  .int({ error: 'productId must be an integer' })
  .refine((id) => getProductById(id) !== undefined, { error: (issue) => `Unknown product: ${String(issue.input)}` })

export const createOrderInput = z.object({ productId: productIdInput, orderId: orderIdInput })
