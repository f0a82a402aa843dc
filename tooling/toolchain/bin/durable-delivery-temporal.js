#!/usr/bin/env node
// The bin npm links at install time. It exists before `npm run build` (dist/ does not in a fresh
// clone, and npm skips linking a bin whose file is missing), and runs the bundled CLI.
import '../dist/cli.js'
