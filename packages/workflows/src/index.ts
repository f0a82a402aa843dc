// The Worker bundles this module: every export is a workflow type.
export { order } from './order'
