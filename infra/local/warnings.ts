// The AWS SDK warns on every start that its 2027 releases will need Node 22; this project pins Node 20 on
// purpose (DESIGN §8), so that one warning is dropped and every other warning is still printed.
export function dropNodeVersionWarning(): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name === 'NodeVersionSupportWarning' || warning.message.startsWith('NodeVersionSupportWarning')) return;
    process.stderr.write(`${warning.name}: ${warning.message}\n`);
  });
}
