#!/usr/bin/env node
// The `plan` command, bundled with the AWS SDK into assets/cli/index.js at build time (cli/).
require('../assets/cli/index.js').runAsCommand();
