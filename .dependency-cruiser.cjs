/**
 * Dependency boundaries of trailwarden (issue 11, "Architecture"), checked by `npm run lint`:
 *
 *   depcruise shared functions --config .dependency-cruiser.cjs
 *
 * Layers, inside out: shared/core (pure) <- shared/app <- shared/adapters <- shared/shells;
 * shared/infra generates the stacks; shared/dashboard is the browser app; functions/ are the
 * Lambda entry points. Every rule is an error: a violation fails the run. The `comment` of a rule
 * is what a developer sees next to the offending import.
 *
 * Type-only imports (`import type`, `export type ... from`) are dependencies too
 * (tsPreCompilationDeps): they count for every rule, and rule 8 tells them apart.
 */

/** Every kind of npm dependency dependency-cruiser distinguishes. */
const NPM = ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'];

/** A forbidden dependency: its name, what a developer reads next to the offending import, from where, to what. */
function rule(name, comment, from, to) {
  return { name, severity: 'error', comment, from, to };
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    rule(
      'no-circular',
      'Import cycle. Modules in shared/ and functions/ must form a directed graph: move what both sides ' +
      'need into a module of its own that both import (or into the lower layer), or invert the dependency. ' +
      'Type-only imports count: a cycle of types is still a cycle in the design.',
      {path: '^(shared|functions)/'},
      {circular: true},
    ),
    rule(
      'core-not-to-outer-layers',
      'shared/core is the pure core: it must not import shared/app, shared/adapters, shared/shells, ' +
      'shared/infra or shared/dashboard. Move the code into the outer layer, or pass what core needs in as ' +
      'a parameter or an interface declared in core.',
      {path: '^shared/core/'},
      {path: '^shared/(app|adapters|shells|infra|dashboard)/'},
    ),
    rule(
      'core-no-npm-packages',
      'shared/core must not import npm packages (not even types): it is plain TypeScript over its own ' +
      'model. Wrap the package in an adapter (shared/adapters) behind an interface declared in core.',
      {path: '^shared/core/'},
      {dependencyTypes: NPM},
    ),
    rule(
      'core-only-node-crypto',
      'shared/core may use only the Node built-in node:crypto (hashing, ids). No fs, http, path, process, ' +
      'timers... Input/output belongs in shared/adapters or shared/shells; the core receives data and ' +
      'returns data.',
      {path: '^shared/core/'},
      {dependencyTypes: ['core'], pathNot: '^(node:)?crypto$'},
    ),
    rule(
      'kernel-only-to-model',
      'shared/core/kernel is the leaf of control helpers: it may import only shared/core/model (and ' +
      'itself). If a helper needs more, it belongs in a control area or in the layer that owns that code.',
      {path: '^shared/core/kernel/'},
      {pathNot: '^shared/core/(kernel|model)/'},
    ),
    rule(
      'control-area-isolation',
      'A control area (shared/core/controls/<area>/) may import only shared/core/kernel, shared/core/model ' +
      'and files of its own area, never another area nor the rest of core. Move a helper two areas share ' +
      'into shared/core/kernel; only the catalogue shared/core/controls/index.ts imports the areas.',
      {path: '^shared/core/controls/([^/]+)/'},
      {pathNot: ['^shared/core/controls/$1/', '^shared/core/kernel/', '^shared/core/model/']},
    ),
    rule(
      'app-not-to-outer-layers',
      'shared/app is the application: it must not import shared/adapters, shared/shells, shared/infra or ' +
      'shared/dashboard. Declare the port (interface) in app or core and let the shell inject the adapter.',
      {path: '^shared/app/'},
      {path: '^shared/(adapters|shells|infra|dashboard)/'},
    ),
    rule(
      'adapters-not-to-outer-layers',
      'shared/adapters must not import shared/shells, shared/infra or shared/dashboard: adapters are ' +
      'composed by the shells, never the other way round.',
      {path: '^shared/adapters/'},
      {path: '^shared/(shells|infra|dashboard)/'},
    ),
    rule(
      'infra-not-to-shells-or-dashboard',
      'shared/infra (stack generation) must not import shared/shells or shared/dashboard.',
      {path: '^shared/infra/'},
      {path: '^shared/(shells|dashboard)/'},
    ),
    rule(
      'dashboard-only-to-core-and-contract',
      'shared/dashboard is a browser app: outside its own folder it may import only shared/core/** and ' +
      'shared/app/api/contract.ts (no npm packages, no Node built-ins, no other layer).',
      {path: '^shared/dashboard/'},
      {pathNot: ['^shared/dashboard/', '^shared/core/', '^shared/app/api/contract\\.ts$']},
    ),
    rule(
      'dashboard-type-only-imports',
      'shared/dashboard may import values only from shared/core/model (the domain\'s constants: areas, ' +
      'severities, frameworks, which are plain data); the rest of shared/core and ' +
      'shared/app/api/contract.ts only with `import type` (or `export type ... from`): a value import would ' +
      'bundle server code into the browser app.',
      {path: '^shared/dashboard/'},
      {path: ['^shared/core/', '^shared/app/api/contract\\.ts$'], pathNot: '^shared/core/model/', dependencyTypesNot: ['type-only']},
    ),
    rule(
      'functions-only-to-lambda-shell',
      'functions/<name>/handler.ts is a one-line Lambda entry point: it may import only ' +
      'shared/shells/lambda/** (the composition) and, for an area function, its own area\'s controls ' +
      '(shared/core/controls/<name>/index.ts), so each area bundle holds only its controls. Wire anything ' +
      'else in the shell.',
      {path: '^functions/([^/]+)/'},
      {pathNot: ['^shared/shells/lambda/', '^shared/core/controls/$1/index\\.ts$']},
    ),
    rule(
      'not-to-test',
      'Production code (shared/, functions/) must not import from test/. Move the shared code into shared/.',
      {path: '^(shared|functions)/'},
      {path: '^test/'},
    ),
    rule(
      'not-to-unresolvable',
      'This import cannot be resolved to a file or an installed package, so no boundary rule can check it. ' +
      'Fix the path, or add the package to package.json.',
      {},
      {couldNotResolve: true},
    ),
  ],

  options: {
    // Type-only imports are dependencies too, and rule 8 tells them apart ("type-only" dependency type).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // npm packages are leaves; tests are leaves too: they may import anything and are not checked as sources,
    // but an import of test/ from shared/ or functions/ still shows up (rule 10).
    doNotFollow: { path: ['node_modules', '^test/'] },
    // Resolve package subpaths through package.json "exports" (e.g. @aws-lambda-powertools/logger/middleware).
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['require', 'import', 'node', 'types', 'default'],
    },
  },
};
