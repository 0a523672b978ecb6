'use strict'

const fastify = require('fastify')({ logger: false })

fastify.register(require('@fastify/postgres'), {
  connectionString: process.env.DATABASE_URL,
  max: 10
})

const schema = {
  params: {
    type: 'object',
    properties: { id: { type: 'integer' } },
    required: ['id']
  }
}

fastify.get('/users/:id', { schema }, async (request) => {
  const { rows } = await fastify.pg.query(
    'SELECT id, name, email FROM users WHERE id = $1', [request.params.id]
  )
  return rows[0]
})

fastify.listen({ host: '127.0.0.1', port: Number(process.env.PORT) }, (err) => {
  if (err) {
    console.error(err)
    process.exit(1)
  }
})
