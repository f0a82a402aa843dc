export * from './activities'
export * from './services'
export * from './ledger'
