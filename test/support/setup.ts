// Runs before every test file (vitest.config.ts `setupFiles`).
// testing-library's async utilities (findBy…, waitFor) give up after 1 s by default. With the whole suite on two
// busy cores a React update can take longer than that, and a pane test then fails although the pane is right.
// They return as soon as the element is there, so a long limit costs a passing test nothing; only the jsdom files
// use them, so node-only files do not load testing-library at all.
if (typeof document !== 'undefined') {
  // Through @testing-library/react, the module instance the tests import (the dom package has a CJS and an ESM build).
  const { configure } = await import('@testing-library/react');
  configure({ asyncUtilTimeout: 20_000 });
}

export {}; // a module: top-level await
