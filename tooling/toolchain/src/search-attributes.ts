import { status } from '@grpc/grpc-js'
import { isGrpcServiceError, type Connection } from '@temporalio/client'
// The generated protobuf module assigns module.exports whole, so Node's ES module loader sees no
// named exports in it: import the CommonJS module itself and take `temporal` from it.
import proto, { type temporal as protoTypes } from '@temporalio/proto'
import { orderSearchAttributes } from '@durable-delivery/common/search-attributes'

const { temporal } = proto

const indexedValueTypes: Record<string, protoTypes.api.enums.v1.IndexedValueType> = {
  KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  INT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DATETIME: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
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
