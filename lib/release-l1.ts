// The `release` submodule: a class for each of the 16 kinds of the pinned Omnia release, generated at build
// time from that release's CRDs into lib/release/kinds.ts (scripts/import-release.js; nothing generated is
// committed). Each checks what
// it emits against its CRD at synth and its references with the rest of the app, like the `l1` classes of
// the documented API. Use them for what the L2 constructs do not cover.
export * from './targets/release-kinds';
export * from './release/kinds';
