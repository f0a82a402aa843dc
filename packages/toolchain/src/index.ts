export * from './binaries'
export * from './ports'
export * from './dev-server'
export * from './search-attributes'
