'use strict'

const fastify = require('fastify')({ logger: false })

const count = Number(process.env.BENCH_ROUTES || 1000)
const targetIndex = Math.max(count - 10, 0)
const schema = {
  params: {
    type: 'object',
    properties: { id: { type: 'integer' } },
    required: ['id']
  }
}

const routes = []
for (let i = 0; i < count - 1; i++) routes.push([String(i), `/r${i}/items/:id`])
routes.splice(targetIndex, 0, ['target', '/target/items/:id'])

for (const [label, path] of routes) {
  fastify.get(path, { schema }, async (request) => ({ route: label, id: request.params.id }))
}

fastify.listen({ host: '127.0.0.1', port: Number(process.env.PORT) }, (err) => {
  if (err) {
    console.error(err)
    process.exit(1)
  }
})
