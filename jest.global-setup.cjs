// Says once per run whether the Fabric suites run on a real network, or are skipped and why (never a silent pass).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

module.exports = async () => {
  // The console's browser suite (test/browser) drives Debian's Chromium; without it that suite is skipped, loudly.
  const chromium = process.env.HUTONG_CHROMIUM || '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    console.log(`\n*** BROWSER SUITE SKIPPED: no Chromium at ${chromium} (apt-get install -y chromium fonts-noto-cjk; .ci/run does) ***`);
  } else console.log(`\nBrowser suite: running on ${chromium}`);
  const entry = join(__dirname, 'network', 'dist', 'index.js');
  if (!existsSync(entry)) {
    console.log('\n*** FABRIC SUITES: cannot tell whether a Fabric home exists: network/dist is not built (npm test builds it) ***');
    return;
  }
  const { searchFabricHome, describeHome, defaultFabricHomeDir } = await import(entry);
  const { home, rejected } = searchFabricHome();
  if (home) console.log(`\nFabric suites: running on ${describeHome(home)}`);
  else {
    console.log(
      `\n*** FABRIC SUITES SKIPPED: no Fabric 3.1 home (${rejected.join('; ')}). ` +
        `Unpack Fabric's 3.1 release archive into ${defaultFabricHomeDir()} or set FABRIC_HOME; see README, "The real Fabric network". ***`,
    );
  }
};
