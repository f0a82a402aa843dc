import nextjs from '@durable-delivery/eslint-config/nextjs'

export default nextjs
