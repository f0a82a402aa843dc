export * from './activities'
export * from './services'
export * from './ledger'
export * from './ledger-check'
