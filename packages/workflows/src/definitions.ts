import { defineQuery, defineSignal } from '@temporalio/workflow'
import type { OrderStatus } from '@durable-delivery/common'

/**
 * The messages an `order` workflow accepts. Their names are the Temporal contract (docs/architecture.md):
 * the CLI, the Web UI and other programs send them by name. API routes import this module
 * without importing workflow code.
 */
export const pickedUpSignal = defineSignal('pickedUp')
export const deliveredSignal = defineSignal('delivered')
export const getStatusQuery = defineQuery<OrderStatus>('getStatus')

/** The workflow type name. Start orders by this name: Next's minifier renames functions. */
export const ORDER_WORKFLOW_TYPE = 'order'
