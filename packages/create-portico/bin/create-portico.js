#!/usr/bin/env node
// The `create-portico` command: a committed shim, so npm can link the bin before `tsc -b` builds dist/.
require('../dist/bin.js');
