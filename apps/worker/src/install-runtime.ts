import { Runtime, type Logger } from '@temporalio/worker'
import type { OpsConfig } from '@durable-delivery/common/config'

/**
 * Installs the SDK Runtime with our logger and, when a metrics port is set, the Prometheus
 * exporter (served by SDK Core at `/metrics`). Must run before any connection or Worker is made:
 * those pick up whichever Runtime exists, and a default one would have no metrics.
 */
export function installRuntime(ops: OpsConfig, logger: Logger): Runtime {
  return Runtime.install({
    logger,
    // SIGTERM is how Render, Kubernetes and systemd stop a process: shut down gracefully.
    shutdownSignals: ['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGUSR2'],
    telemetryOptions: {
      // Core's own logs go through our logger too, so production logs are all JSON lines.
      logging: {
        filter: { core: ops.logLevel === 'TRACE' || ops.logLevel === 'DEBUG' ? ops.logLevel : 'WARN' },
        forward: {},
      },
      metrics:
        ops.metricsPort === undefined
          ? undefined
          : {
              prometheus: {
                bindAddress: `0.0.0.0:${ops.metricsPort}`,
                countersTotalSuffix: true,
                useSecondsForDurations: true,
              },
            },
    },
  })
}
