import { Connection } from '@temporalio/client'
import { orderSearchAttributes } from '@durable-delivery/common/search-attributes'
import { temporal } from '@temporalio/proto'

const indexedValueTypes: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  INT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
}

/**
 * Registers the order search attributes on a server that is already running (one we reuse, or
 * the time-skipping test server), skipping those it has. The dev servers we start register them
 * with `--search-attribute` instead.
 */
export async function registerSearchAttributes(connection: Connection, namespace = 'default'): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace })
  const known = new Set([
    ...Object.keys(existing.customAttributes ?? {}),
    ...Object.keys(existing.systemAttributes ?? {}),
  ])
  const missing = orderSearchAttributes.filter((key) => !known.has(key.name))
  if (missing.length === 0) return
  const searchAttributes: Record<string, temporal.api.enums.v1.IndexedValueType> = {}
  for (const key of missing) {
    const type = indexedValueTypes[key.type]
    if (type === undefined) throw new Error(`No indexed value type for search attribute ${key.name} (${key.type})`)
    searchAttributes[key.name] = type
  }
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes })
}
