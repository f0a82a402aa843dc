import base from '@durable-delivery/eslint-config/base'

export default base
