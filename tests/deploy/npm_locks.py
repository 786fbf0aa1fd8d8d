#!/usr/bin/env python3
"""The npm lock files of the tests install with Debian 12's own npm (9.2.0) as with a newer one,
exactly as locked (ctest deploy.npm_locks; issue 20, item 1).

    python3 tests/deploy/npm_locks.py SOURCE_DIR

For tests/browser and tests/api/openapi:
- package.json has no "overrides": npm 9.2.0 compares every override with the dependency specs it
  meets by semver, and lighthouse's trace engine asks for "latest" (a dist-tag), so `npm ci` stopped
  with "Invalid comparator: latest" ("can only install with an existing package-lock.json");
- every locked package records its registry tarball ("resolved") and integrity: npm (9 and 11)
  takes a locked package for a dependency asked for by a dist-tag only when it has a registry
  "resolved"; without it, npm resolves the tag again and `npm ci` refuses the lock once "latest"
  moves on;
- the folder's .npmrc keeps "resolved" in the lock whoever regenerates it
  (omit-lockfile-registry-resolved=false, over a user's setting);
- the lock is one npm 7 and later read (lockfileVersion 2 or 3), and its root records exactly
  package.json's dependencies.
Prints each problem; exit status 1 when there is one.
"""
import json
import re
import sys
from pathlib import Path

FOLDERS = ['tests/browser', 'tests/api/openapi']
SEMVERISH = re.compile(r'^[\s\d.xX*^~<>=|v-]*$|^\s*[\^~<>=]*\s*\d')


def package_name(key, entry):
    return entry.get('name') or key.rsplit('node_modules/', 1)[-1]


def check(folder):
    problems = []
    manifest = json.loads((folder / 'package.json').read_text())
    lock = json.loads((folder / 'package-lock.json').read_text())
    if 'overrides' in manifest:
        problems.append('package.json has "overrides" (npm 9.2.0 fails on an override of a dist-tag)')
    if lock.get('lockfileVersion') not in (2, 3):
        problems.append(f'lockfileVersion {lock.get("lockfileVersion")}: not 2 or 3')
    packages = lock.get('packages', {})
    root = packages.get('', {})
    for kind in ('dependencies', 'devDependencies', 'optionalDependencies'):
        if root.get(kind, {}) != manifest.get(kind, {}):
            problems.append(f'lock root {kind} {root.get(kind, {})} != package.json {manifest.get(kind, {})}')
    for key, entry in packages.items():
        if not key or entry.get('link'):
            continue
        name = package_name(key, entry)
        version = entry.get('version')
        want = f'https://registry.npmjs.org/{name}/-/{name.split("/")[-1]}-{version}.tgz'
        if entry.get('resolved') != want:
            problems.append(f'{key}: resolved {entry.get("resolved")!r}, want {want}')
        if not str(entry.get('integrity', '')).startswith('sha512-'):
            problems.append(f'{key}: no sha512 integrity')
        for kind in ('dependencies', 'optionalDependencies'):
            for dep, spec in entry.get(kind, {}).items():
                if not SEMVERISH.match(spec) and not spec.startswith('npm:'):
                    print(f'  {folder.name}: {key} asks for {dep}@{spec!r} (a dist-tag): '
                          'taken from the lock because it records "resolved"')
    npmrc = (folder / '.npmrc')
    settings = npmrc.read_text().split() if npmrc.exists() else []
    if 'omit-lockfile-registry-resolved=false' not in settings:
        problems.append('.npmrc lacks omit-lockfile-registry-resolved=false')
    return problems


def main():
    if len(sys.argv) != 2:
        print('usage: npm_locks.py SOURCE_DIR', file=sys.stderr)
        return 2
    failed = 0
    for relative in FOLDERS:
        problems = check(Path(sys.argv[1]) / relative)
        for problem in problems:
            print(f'FAIL {relative}: {problem}')
        if not problems:
            print(f'ok   {relative}')
        failed += len(problems)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
