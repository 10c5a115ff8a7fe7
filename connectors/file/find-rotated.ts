/**
 * After a restart the stored offset may name a file that has since been rotated away (app.log →
 * app.log.1). Its unread tail is still beside the path under a name that starts with the same base
 * name, and the inode says which one it is.
 */
import fs from 'node:fs'
import path from 'node:path'

/** The path of the sibling of `file` whose inode is `inode`, if there is one. */
export async function findRotated(file: string, inode: number): Promise<string | undefined> {
  const dir = path.dirname(file)
  const base = path.basename(file)
  let names: string[]
  try {
    names = await fs.promises.readdir(dir)
  } catch {
    return undefined
  }
  for (const name of names) {
    if (name === base || !name.startsWith(base)) continue
    const candidate = path.join(dir, name)
    const stat = await fs.promises.stat(candidate).catch(() => undefined) // gone or unreadable since the listing: not the rotated file
    if (stat?.isFile() && stat.ino === inode) return candidate
  }
  return undefined
}
