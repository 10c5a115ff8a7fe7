#!/usr/bin/env node
// The `tributary` command: sizes the thread pool (threadpool.cjs), then runs tributary.js.
require('./threadpool.cjs')
import('./tributary.js').catch((error) => {
  console.error(error)
  process.exit(1)
})
