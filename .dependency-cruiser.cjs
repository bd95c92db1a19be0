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

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // 1
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Import cycle. Modules in shared/ and functions/ must form a directed graph: move what both sides need into a ' +
        'module of its own that both import (or into the lower layer), or invert the dependency. ' +
        'Type-only imports count: a cycle of types is still a cycle in the design.',
      from: { path: '^(shared|functions)/' },
      to: { circular: true },
    },

    // 2
    {
      name: 'core-not-to-outer-layers',
      severity: 'error',
      comment:
        'shared/core is the pure core: it must not import shared/app, shared/adapters, shared/shells, shared/infra or ' +
        'shared/dashboard. Move the code into the outer layer, or pass what core needs in as a parameter or an interface ' +
        'declared in core.',
      from: { path: '^shared/core/' },
      to: { path: '^shared/(app|adapters|shells|infra|dashboard)/' },
    },
    {
      name: 'core-no-npm-packages',
      severity: 'error',
      comment:
        'shared/core must not import npm packages (not even types): it is plain TypeScript over its own model. ' +
        'Wrap the package in an adapter (shared/adapters) behind an interface declared in core.',
      from: { path: '^shared/core/' },
      to: { dependencyTypes: NPM },
    },
    {
      name: 'core-only-node-crypto',
      severity: 'error',
      comment:
        'shared/core may use only the Node built-in node:crypto (hashing, ids). No fs, http, path, process, timers... ' +
        'Input/output belongs in shared/adapters or shared/shells; the core receives data and returns data.',
      from: { path: '^shared/core/' },
      to: { dependencyTypes: ['core'], pathNot: '^(node:)?crypto$' },
    },

    // 3
    {
      name: 'kernel-only-to-model',
      severity: 'error',
      comment:
        'shared/core/kernel is the leaf of control helpers: it may import only shared/core/model (and itself). ' +
        'If a helper needs more, it belongs in a control area or in the layer that owns that code.',
      from: { path: '^shared/core/kernel/' },
      to: { pathNot: '^shared/core/(kernel|model)/' },
    },

    // 4
    {
      name: 'control-area-isolation',
      severity: 'error',
      comment:
        'A control area (shared/core/controls/<area>/) may import only shared/core/kernel, shared/core/model and files ' +
        'of its own area, never another area nor the rest of core. Move a helper two areas share into ' +
        'shared/core/kernel; only the catalogue shared/core/controls/index.ts imports the areas.',
      from: { path: '^shared/core/controls/([^/]+)/' },
      to: { pathNot: ['^shared/core/controls/$1/', '^shared/core/kernel/', '^shared/core/model/'] },
    },

    // 5
    {
      name: 'app-not-to-outer-layers',
      severity: 'error',
      comment:
        'shared/app is the application: it must not import shared/adapters, shared/shells, shared/infra or ' +
        'shared/dashboard. Declare the port (interface) in app or core and let the shell inject the adapter.',
      from: { path: '^shared/app/' },
      to: { path: '^shared/(adapters|shells|infra|dashboard)/' },
    },

    // 6
    {
      name: 'adapters-not-to-outer-layers',
      severity: 'error',
      comment:
        'shared/adapters must not import shared/shells, shared/infra or shared/dashboard: adapters are composed by the ' +
        'shells, never the other way round.',
      from: { path: '^shared/adapters/' },
      to: { path: '^shared/(shells|infra|dashboard)/' },
    },

    // 7
    {
      name: 'infra-not-to-shells-or-dashboard',
      severity: 'error',
      comment: 'shared/infra (stack generation) must not import shared/shells or shared/dashboard.',
      from: { path: '^shared/infra/' },
      to: { path: '^shared/(shells|dashboard)/' },
    },

    // 8
    {
      name: 'dashboard-only-to-core-and-contract',
      severity: 'error',
      comment:
        'shared/dashboard is a browser app: outside its own folder it may import only shared/core/** and ' +
        'shared/app/api/contract.ts (no npm packages, no Node built-ins, no other layer).',
      from: { path: '^shared/dashboard/' },
      to: { pathNot: ['^shared/dashboard/', '^shared/core/', '^shared/app/api/contract\\.ts$'] },
    },
    {
      name: 'dashboard-type-only-imports',
      severity: 'error',
      comment:
        'shared/dashboard may import values only from shared/core/model (the domain\'s constants: areas, severities, ' +
        'frameworks, which are plain data); the rest of shared/core and shared/app/api/contract.ts only with ' +
        '`import type` (or `export type ... from`): a value import would bundle server code into the browser app.',
      from: { path: '^shared/dashboard/' },
      to: { path: ['^shared/core/', '^shared/app/api/contract\\.ts$'], pathNot: '^shared/core/model/', dependencyTypesNot: ['type-only'] },
    },

    // 9
    {
      name: 'functions-only-to-lambda-shell',
      severity: 'error',
      comment:
        'functions/<name>/handler.ts is a one-line Lambda entry point: it may import only shared/shells/lambda/** ' +
        '(the composition) and, for an area function, its own area\'s controls (shared/core/controls/<name>/index.ts), ' +
        'so each area bundle holds only its controls. Wire anything else in the shell.',
      from: { path: '^functions/([^/]+)/' },
      to: { pathNot: ['^shared/shells/lambda/', '^shared/core/controls/$1/index\\.ts$'] },
    },

    // 10
    {
      name: 'not-to-test',
      severity: 'error',
      comment: 'Production code (shared/, functions/) must not import from test/. Move the shared code into shared/.',
      from: { path: '^(shared|functions)/' },
      to: { path: '^test/' },
    },

    // Safety net for the rules above: an import that cannot be resolved escapes every path rule.
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'This import cannot be resolved to a file or an installed package, so no boundary rule can check it. ' +
        'Fix the path, or add the package to package.json.',
      from: {},
      to: { couldNotResolve: true },
    },
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
