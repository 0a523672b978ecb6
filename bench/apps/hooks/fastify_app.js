'use strict'

const fastify = require('fastify')({ logger: false })

fastify.decorateRequest('hits', 0)

async function count (request) {
  request.hits += 1
}

for (let i = 0; i < 5; i++) {
  fastify.addHook('onRequest', count)
  fastify.addHook('preHandler', count)
}

fastify.get('/', async (request) => ({ hits: request.hits }))

fastify.listen({ host: '127.0.0.1', port: Number(process.env.PORT) }, (err) => {
  if (err) {
    console.error(err)
    process.exit(1)
  }
})
