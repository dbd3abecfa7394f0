#!/usr/bin/env node
// The `earshot` command: runs the TypeScript sources directly through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/server/cli.ts');
