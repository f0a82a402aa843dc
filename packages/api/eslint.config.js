import react from '@durable-delivery/eslint-config/react'

export default react
