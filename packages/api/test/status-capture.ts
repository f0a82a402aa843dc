import { proxySinks, workflowInfo, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow'
import { getActivator } from '@temporalio/workflow/lib/global-attributes'

/**
 * A workflow interceptor for the replayer (status-projection.test.ts): after every activation it
 * asks the order's own getStatus handler, as a Query at that point of the history would, and
 * hands the answer out through a sink that runs during replay.
 */
export interface StatusCaptureSinks extends Sinks {
  capture: { status(historyLength: number, status: string): void }
}

const { capture } = proxySinks<StatusCaptureSinks>()

export const interceptors: WorkflowInterceptorsFactory = () => ({
  internals: [
    {
      concludeActivation(input, next) {
        const getStatus = getActivator().queryHandlers.get('getStatus')
        if (getStatus) capture.status(workflowInfo().historyLength, JSON.stringify(getStatus.handler()))
        return next(input)
      },
    },
  ],
})
