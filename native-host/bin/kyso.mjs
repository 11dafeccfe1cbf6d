#!/usr/bin/env node
// Launcher kept in git so `npx kyso` resolves before and after a build; the bundle does the work.
import '../dist/kyso.mjs';
