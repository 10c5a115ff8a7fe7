import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** A fresh directory under the OS temp dir (or `parent`); remove() deletes it and everything in it. */
export async function makeTempDir(
  prefix = 'tributary-test-',
  parent = os.tmpdir(),
): Promise<{ path: string; remove: () => Promise<void> }> {
  const dir = await fs.promises.mkdtemp(path.join(parent, prefix))
  return { path: dir, remove: () => fs.promises.rm(dir, { recursive: true, force: true }) }
}
