'use strict'
// Boot of Fastify: 100 plugins with a prefix, 10 routes each, ready(), one inject().
// Prints the same JSON fields as measure.py (node has no lifespan: ready_ms is ready()).
const started = process.hrtime.bigint()
const ms = (a, b) => Number(b - a) / 1e6

async function main () {
  const plugins = 100
  const routes = 10
  const begin = process.hrtime.bigint()
  const Fastify = require('fastify')
  const imported = process.hrtime.bigint()
  const app = Fastify({ logger: false })
  for (let i = 0; i < plugins; i++) {
    app.register(async (instance) => {
      for (let j = 0; j < routes; j++) {
        instance.get(`/r${j}`, async () => ({ p: i, r: j }))
      }
    }, { prefix: `/p${i}` })
  }
  const built = process.hrtime.bigint()
  await app.ready()
  const ready = process.hrtime.bigint()
  const res = await app.inject({ method: 'GET', url: `/p${plugins - 1}/r${routes - 1}` })
  const first = process.hrtime.bigint()
  const body = res.json()
  if (res.statusCode !== 200 || body.p !== plugins - 1 || body.r !== routes - 1) {
    throw new Error(`GET -> ${res.statusCode} ${res.body}`)
  }
  console.log(JSON.stringify({
    import_ms: ms(begin, imported),
    build_ms: ms(imported, built),
    ready_ms: ms(built, ready),
    first_ms: ms(ready, first),
    app_ms: ms(imported, first),
    in_process_ms: ms(started, first)
  }))
}

main().catch((err) => { console.error(err); process.exit(1) })
