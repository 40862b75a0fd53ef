// `npm run lint` step: no import cycles anywhere, type-only imports included (a cycle where one side
// imports only types still makes two files that can only be read, tested and split together). dpdm
// resolves imports the way TypeScript does; a cycle is printed as the files it runs through.
//
//   node build/check-cycles.mjs [folder …]     (default: shared renderer electron tests build)
import { parseCircular, parseDependencyTree } from 'dpdm';

const folders = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['shared', 'renderer', 'electron', 'tests', 'build'];
const entries = folders.map((folder) => `${folder}/**/*.{ts,tsx,mts,mjs}`);
const tree = await parseDependencyTree(entries, {
  tsconfig: 'tsconfig.json',
  // Type-only imports count: `transform: true` would erase them first.
  transform: false,
  skipDynamicImports: false,
  exclude: /node_modules/,
});
const cycles = parseCircular(tree, false);
if (cycles.length > 0) {
  console.error(`Import cycles (${cycles.length}): each line is a loop of files that import one another.`);
  for (const cycle of cycles) console.error(`  ${[...cycle, cycle[0]].join(' → ')}`);
  process.exit(1);
}
console.log(`No import cycles in ${Object.keys(tree).filter((file) => !file.includes('node_modules')).length} files.`);
