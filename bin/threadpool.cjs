// Sizes libuv's thread pool before anything starts it: every file write, fdatasync and read of the
// log runs there, and an fdatasync holds its thread for as long as the disk takes (milliseconds when
// a database on the same disk flushes its own log). libuv's default of 4 then leaves a reader's
// read, or the next write, queued behind flushes. A size set in the environment stays as set. Loaded
// first by bin/tributary.cjs (CommonJS, so that no module has been read through the pool yet: an ES
// module entry would be too late), and by `node --require` where a worker runs from another entry.
if (process.env.UV_THREADPOOL_SIZE === undefined) process.env.UV_THREADPOOL_SIZE = '16'
