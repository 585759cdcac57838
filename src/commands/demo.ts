import { defineCommand } from 'citty';

export default defineCommand({
  meta: { name: 'demo', description: 'Run the selection strategies on built-in example data' },
  run() {
    process.stdout.write('bom demo: not built yet\n');
  },
});
