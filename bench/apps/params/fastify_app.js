'use strict'

const fastify = require('fastify')({ logger: false })

const schema = {
  params: {
    type: 'object',
    properties: { id: { type: 'integer' } },
    required: ['id']
  },
  querystring: {
    type: 'object',
    properties: { fields: { type: 'string' } },
    required: ['fields']
  },
  response: {
    200: {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        name: { type: 'string' },
        email: { type: 'string' },
        fields: { type: 'string' }
      }
    }
  }
}

function loadUser (id, fields) {
  return { id, name: `User ${id}`, email: `user${id}@example.com`, fields, password: 's3cret' }
}

fastify.get('/users/:id', { schema }, async (request) => {
  return loadUser(request.params.id, request.query.fields)
})

fastify.listen({ host: '127.0.0.1', port: Number(process.env.PORT) }, (err) => {
  if (err) {
    console.error(err)
    process.exit(1)
  }
})
