'use strict'

const { body_schema: bodySchema } = require('./spec.json')
const fastify = require('fastify')({ logger: false })

fastify.post('/users', { schema: { body: bodySchema } }, async (request) => {
  return { ok: true, id: request.body.id }
})

fastify.listen({ host: '127.0.0.1', port: Number(process.env.PORT) }, (err) => {
  if (err) {
    console.error(err)
    process.exit(1)
  }
})
