// Loaded before Electronegativity (see security-check.ts). Offline, its translation and release look-ups fail, and
// got reports the failure (or its retry's "onCancel handler was attached after the promise settled") from a timer,
// killing the scan half-way. Those network errors are dropped; any other error still ends the process.
process.on('uncaughtException', (error) => {
  const message = String(error && error.message);
  if ((error && error.name === 'RequestError') || message.includes('onCancel` handler was attached')) return;
  console.error(error);
  process.exit(1);
});
