'use strict'

const fastify = require('fastify')({ logger: false })

// `uri` rather than `connectionString`: @fastify/mysql ignores the other mysql2 options
// when given a connectionString.
fastify.register(require('@fastify/mysql'), {
  uri: process.env.MYSQL_URL,
  connectionLimit: 10,
  promise: true
})

const schema = {
  params: {
    type: 'object',
    properties: { id: { type: 'integer' } },
    required: ['id']
  }
}

fastify.get('/users/:id', { schema }, async (request, reply) => {
  const [rows] = await fastify.mysql.query(
    'SELECT id, name, email FROM users WHERE id = ?', [request.params.id]
  )
  if (rows.length === 0) {
    return reply.code(404).send({ error: 'Not Found' })
  }
  return rows[0]
})

fastify.listen({ host: '127.0.0.1', port: Number(process.env.PORT) }, (err) => {
  if (err) {
    console.error(err)
    process.exit(1)
  }
})
