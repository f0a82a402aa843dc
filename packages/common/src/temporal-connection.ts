import type { TemporalConfig, TlsPair } from './config'

/** The fields `Connection.connect` (client) and `NativeConnection.connect` (Worker) both take. */
export interface SharedConnectionOptions {
  address: string
  tls?: { clientCertPair?: TlsPair }
  apiKey?: string
}

export function connectionOptions(config: TemporalConfig): SharedConnectionOptions {
  return { address: config.address, tls: config.tls, apiKey: config.apiKey }
}
