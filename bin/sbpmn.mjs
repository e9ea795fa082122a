#!/usr/bin/env node
// Launcher for `sbpmn`: the CLI is TypeScript, run through tsx's ESM loader.
import { register } from 'tsx/esm/api';

register();
await import('../lib/cli/main.ts');
