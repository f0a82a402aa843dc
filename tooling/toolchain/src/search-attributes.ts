import { status } from '@grpc/grpc-js'
import type { Connection } from '@temporalio/client'
import { isGrpcServiceError } from '@temporalio/client'
import { orderSearchAttributes } from '@durable-delivery/common/search-attributes'
import { temporal } from '@temporalio/proto'

const indexedValueTypes: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  INT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
}

/**
 * Registers the order search attributes on a server that is already running (one we reuse, or
 * the time-skipping test server), leaving those it has. One at a time, because the test server
 * cannot list them and a batch fails whole when one exists. The dev servers we start register
 * them with `--search-attribute` instead.
 */
export async function registerSearchAttributes(connection: Connection, namespace = 'default'): Promise<void> {
  for (const key of orderSearchAttributes) {
    const type = indexedValueTypes[key.type]
    if (type === undefined) throw new Error(`No indexed value type for search attribute ${key.name} (${key.type})`)
    try {
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: { [key.name]: type } })
    } catch (error) {
      if (!(isGrpcServiceError(error) && error.code === status.ALREADY_EXISTS)) throw error
    }
  }
}
