import { describe, expect, it } from 'vitest'
import { historyFiles, historyText, readManifest, sha256 } from '../test/histories'

/**
 * Committed histories are append-only (docs/architecture.md, "Versioning"): a history edited or
 * re-recorded could no longer catch the break it was kept for. `npm run histories` adds a file
 * and its manifest entry; nothing else may change either.
 */
describe('the committed histories', () => {
  const manifest = readManifest()
  const files = historyFiles()

  it('each has a manifest entry, and each entry a file', () => {
    expect(files.length).toBeGreaterThan(0)
    expect(files).toEqual(Object.keys(manifest).sort())
  })

  it('each is byte for byte the file that was committed', () => {
    const changed = files.filter((file) => manifest[file] !== undefined && sha256(historyText(file)) !== manifest[file])
    expect(changed).toEqual([])
  })
})
