'use strict'

const fastify = require('fastify')({ logger: process.env.BENCH_LOG === '1' })

fastify.get('/', async () => ({ hello: 'world' }))

fastify.listen({ host: '127.0.0.1', port: Number(process.env.PORT) }, (err) => {
  if (err) {
    console.error(err)
    process.exit(1)
  }
})
