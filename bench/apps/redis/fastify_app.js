'use strict'

const fastify = require('fastify')({ logger: false })

fastify.register(require('@fastify/redis'), { url: process.env.REDIS_URL })

const schema = {
  querystring: {
    type: 'object',
    properties: { key: { type: 'string' } },
    required: ['key']
  }
}

fastify.get('/foo', { schema }, async (request) => {
  const key = request.query.key
  return { key, value: await fastify.redis.get(key) }
})

fastify.listen({ host: '127.0.0.1', port: Number(process.env.PORT) }, (err) => {
  if (err) {
    console.error(err)
    process.exit(1)
  }
})
