#!/usr/bin/env node
// The `portico` command: a committed shim, so npm can link the bin before `tsc -b` builds dist/.
require('../dist/cli/bin.js');
