export { default } from '@durable-delivery/api/client/site-document'
