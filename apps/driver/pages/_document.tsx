export { default } from '@durable-delivery/ui/site-document'
