import { Client } from '@temporalio/client'
import { type NativeConnection, Worker } from '@temporalio/worker'
import {
  createActivities,
  Ledger,
  NotificationService,
  PaymentService,
  SimulatedRestaurant,
} from '@durable-delivery/activities'
import type { ServicesConfig } from '@durable-delivery/common/config'
import { nextAttemptLogInterceptor } from './next-attempt'
import { workflowSource } from './workflow-source'

export interface OrderWorkerOptions {
  connection: NativeConnection
  namespace: string
  taskQueue: string
  services: ServicesConfig
  /** On SIGINT/SIGTERM, how long running activities get to finish before they are cancelled. */
  shutdownGraceMs: number
  /** Workflows kept in memory between tasks (WORKER_MAX_CACHED_WORKFLOWS): what bounds the Worker's memory. */
  maxCachedWorkflows: number
}

export interface OrderWorker {
  worker: Worker
  ledger: Ledger
  /** Calls cart orders back by Update: start it with the Worker, stop it before closing the ledger. */
  restaurant: SimulatedRestaurant
}

/**
 * A Worker for the `order` workflow with its activities wired to the simulated services. The
 * caller owns the connection and closes the returned ledger once the Worker's run ends.
 */
export async function createOrderWorker(options: OrderWorkerOptions): Promise<OrderWorker> {
  const ledger = new Ledger(options.services.ledgerPath)
  const { restaurant: kitchen } = options.services
  // The restaurant's callbacks are Updates a client sends, over the Worker's own connection.
  const restaurant = new SimulatedRestaurant(
    ledger,
    kitchen,
    new Client({ connection: options.connection, namespace: options.namespace }),
  )
  const activities = createActivities({
    payments: new PaymentService(ledger, {
      failureRate: options.services.paymentFailureRate,
      latencyMs: options.services.paymentLatencyMs,
    }),
    notifications: new NotificationService(ledger, {
      failureRate: options.services.notificationFailureRate,
      latencyMs: options.services.notificationLatencyMs,
    }),
    restaurant,
  })
  try {
    const worker = await Worker.create({
      connection: options.connection,
      namespace: options.namespace,
      taskQueue: options.taskQueue,
      ...workflowSource(),
      activities,
      // The SDK's "Activity failed" log says when the failed activity runs again (development-log.ts).
      interceptors: { activity: [nextAttemptLogInterceptor] },
      shutdownGraceTime: options.shutdownGraceMs,
      maxCachedWorkflows: options.maxCachedWorkflows,
    })
    return { worker, ledger, restaurant }
  } catch (error) {
    ledger.close()
    throw error
  }
}
