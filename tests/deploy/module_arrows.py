#!/usr/bin/env python3
"""The module arrows, enforced: the top CMakeLists.txt's link lines are the allowed arrows.

Reads the modules from the top CMakeLists.txt -- `clemency_module(NAME SOURCES ... DEPS ...)`
with the folders of its `file(GLOB var generator/<folder>/*.cpp)` (or `set(var ...)`) lines, and executables
(`add_executable(name generator/<folder>/...)` with their `target_link_libraries`) -- then every
`#include` of every file under generator/, and fails, listing file:line, when

  * a module includes a header of another module it does not link DIRECTLY (its own DEPS or
    target_link_libraries). Reaching a module only through another one's link line does not
    count: an arrow a file uses is written on its own module's line;
  * a third-party header (anything that is not a C++ standard, C or POSIX/Linux system header)
    is included by more than one module: each library has one module that wraps it;
  * a folder of generator/ holding sources belongs to no module (so a new or renamed module
    cannot slip past the check).

Usage: module_arrows.py SOURCE_DIR | module_arrows.py --self-test
"""
import os
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
# C and POSIX/Linux headers: the system's, not a library's (C++ standard headers have no suffix).
SYSTEM_PREFIXES = ("sys/", "netinet/", "arpa/", "linux/", "net/", "bits/")
SYSTEM_HEADERS = {
    "assert.h", "ctype.h", "dirent.h", "dlfcn.h", "errno.h", "fcntl.h", "float.h", "glob.h",
    "grp.h", "inttypes.h", "limits.h", "link.h", "locale.h", "malloc.h", "math.h", "netdb.h",
    "poll.h", "pthread.h", "pwd.h", "sched.h", "setjmp.h", "signal.h", "spawn.h", "stdarg.h",
    "stddef.h", "stdint.h", "stdio.h", "stdlib.h", "string.h", "strings.h", "syslog.h",
    "termios.h", "time.h", "unistd.h", "utime.h", "wchar.h", "wctype.h",
}


def is_third_party(header):
    if "." not in os.path.basename(header) and "/" not in header:
        return False  # <string>, <vector>: the C++ standard library
    return not (header in SYSTEM_HEADERS or header.startswith(SYSTEM_PREFIXES))


def calls(text, name):
    """The argument lists of every `name(...)` call in CMake `text` (comments removed)."""
    text = re.sub(r"#[^\n]*", "", text)
    out = []
    for match in re.finditer(r"\b" + name + r"\s*\(", text):
        depth, i = 1, match.end()
        while depth and i < len(text):
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        out.append(text[match.end():i - 1].split())
    return out


def folder_of(path):
    """generator/<folder>/x.cpp -> <folder>; None for anything outside generator/."""
    match = re.match(r"(?:\$\{CMAKE_CURRENT_SOURCE_DIR\}/)?generator/(.+)/[^/]+$", path)
    return match.group(1) if match else None


def read_modules(cmake_text):
    """{module: {"folders": set, "deps": set of modules, "libs": set}} from the CMake text."""
    globs = {}
    for args in calls(cmake_text, "file"):
        if args and args[0] in ("GLOB", "GLOB_RECURSE"):
            paths = [a for a in args[2:] if a.startswith("generator/")]
            globs[args[1]] = {folder_of(p) for p in paths if folder_of(p)}
    for args in calls(cmake_text, "set"):  # set(x_sources generator/x/a.cpp ...)
        folders = {folder_of(a) for a in args[1:] if folder_of(a)}
        if args and folders:
            globs.setdefault(args[0], set()).update(folders)
    modules = {}

    def sources(args):
        folders = set()
        for arg in args:
            var = re.fullmatch(r"\$\{(\w+)\}", arg)
            if var:
                folders |= globs.get(var.group(1), set())
            elif folder_of(arg):
                folders.add(folder_of(arg))
        return folders

    def link(name, args):
        module = modules.setdefault(name, {"folders": set(), "deps": set(), "libs": set()})
        for arg in args:
            if arg.startswith("clemency_"):
                module["deps"].add(arg[len("clemency_"):])
            elif arg not in ("PUBLIC", "PRIVATE", "INTERFACE"):
                module["libs"].add(arg)

    for args in calls(cmake_text, "clemency_module"):
        if not args or args[0].startswith("$"):
            continue  # the function's own definition
        sections, key = {"SOURCES": [], "DEPS": []}, None
        for arg in args[1:]:
            if arg in sections:
                key = arg
            elif key:
                sections[key].append(arg)
        link(args[0], sections["DEPS"])
        modules[args[0]]["folders"] |= sources(sections["SOURCES"])
    for args in calls(cmake_text, "add_executable"):
        link(args[0], [])
        modules[args[0]]["folders"] |= sources(args[1:])
    for args in calls(cmake_text, "target_link_libraries"):
        if not args:
            continue
        name = args[0][len("clemency_"):] if args[0].startswith("clemency_") else args[0]
        if name in modules:
            link(name, args[1:])
    return modules


def owner(folder, owners):
    """The module owning `folder`: its own, or the nearest enclosing folder's."""
    while folder:
        if folder in owners:
            return owners[folder]
        folder = os.path.dirname(folder)
    return None


def check(root):
    """The violations in the tree at `root`, each a line of text."""
    with open(os.path.join(root, "CMakeLists.txt"), encoding="utf-8") as f:
        modules = read_modules(f.read())
    owners = {}
    problems = []
    for name, module in sorted(modules.items()):
        for folder in module["folders"]:
            if owners.get(folder, name) != name:
                problems.append(f"generator/{folder}/: in two modules, {owners[folder]} and {name}")
            owners[folder] = name
    generator = os.path.join(root, "generator")
    third_party = {}  # header -> {module: first "file:line"}
    for directory, _, files in sorted(os.walk(generator)):
        sources = sorted(f for f in files if f.endswith((".h", ".hpp", ".cpp", ".cc")))
        folder = os.path.relpath(directory, generator)
        module = owner(folder, owners)
        if sources and module is None:
            problems.append(f"generator/{folder}/: sources in no module of CMakeLists.txt")
            continue
        for name in sources:
            path = os.path.join(directory, name)
            shown = os.path.relpath(path, root)
            with open(path, encoding="utf-8") as f:
                for number, line in enumerate(f, 1):
                    match = INCLUDE.match(line)
                    if not match:
                        continue
                    kind, header = match.groups()
                    where = f"{shown}:{number}"
                    if kind == '"' and "/" in header:
                        target = owner(os.path.dirname(header), owners)
                        if target and target != module and target not in modules[module]["deps"]:
                            problems.append(f"{where}: module {module} includes \"{header}\" of "
                                            f"module {target}, which it does not link")
                    elif kind == "<" and is_third_party(header):
                        third_party.setdefault(header, {}).setdefault(module, where)
    for header, users in sorted(third_party.items()):
        if len(users) > 1:
            for module, where in sorted(users.items()):
                problems.append(f"{where}: <{header}> is included by modules "
                                f"{', '.join(sorted(users))}; one module wraps a library")
    return problems


FAKE_CMAKE = """
function(clemency_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS" ${ARGN})
endfunction()
file(GLOB core_sources generator/core/*.cpp)
file(GLOB db_sources generator/db/*.cpp)
file(GLOB web_sources generator/web/*.cpp)
clemency_module(core SOURCES ${core_sources} DEPS Threads::Threads)
clemency_module(db SOURCES ${db_sources} DEPS clemency_core PkgConfig::SQLITE)
# web reaches core only through db
clemency_module(web SOURCES ${web_sources}
  DEPS clemency_db)
add_executable(tool generator/cli/main.cpp)
target_link_libraries(tool PRIVATE clemency_web)
"""
FAKE_FILES = {
    "core/text.h": "#pragma once\n#include <string>\n#include <unistd.h>\n",
    "db/db.cpp": '#include "db/db.h"\n#include "core/text.h"\n#include <sqlite3.h>\n',
    "db/db.h": "#pragma once\n",
    "web/web.cpp": '#include "db/db.h"\n#include "core/text.h"\n#include <sqlite3.h>\n',
    "cli/main.cpp": '#include "web/web.h"\n#include "db/db.h"\n',
    "web/web.h": "#pragma once\n",
}


def self_test():
    """The check fails on a tiny tree with violations, naming each, and passes once mended."""
    with tempfile.TemporaryDirectory() as root:
        with open(os.path.join(root, "CMakeLists.txt"), "w", encoding="utf-8") as f:
            f.write(FAKE_CMAKE)
        for path, text in FAKE_FILES.items():
            os.makedirs(os.path.join(root, "generator", os.path.dirname(path)), exist_ok=True)
            with open(os.path.join(root, "generator", path), "w", encoding="utf-8") as f:
                f.write(text)
        problems = check(root)
        expected = ["generator/web/web.cpp:2: module web includes \"core/text.h\"",
                    "generator/cli/main.cpp:2: module tool includes \"db/db.h\"",
                    "generator/db/db.cpp:3: <sqlite3.h> is included by modules db, web",
                    "generator/web/web.cpp:3: <sqlite3.h> is included by modules db, web"]
        missing = [e for e in expected if not any(p.startswith(e) for p in problems)]
        if missing or len(problems) != len(expected):
            print("self-test: expected\n  " + "\n  ".join(expected) + "\ngot\n  " +
                  "\n  ".join(problems))
            return 1
        os.makedirs(os.path.join(root, "generator", "orphan"))
        with open(os.path.join(root, "generator", "orphan", "x.cpp"), "w") as f:
            f.write("")
        if not any(p.startswith("generator/orphan/: sources in no module") for p in check(root)):
            print("self-test: a folder in no module was not reported")
            return 1
        os.remove(os.path.join(root, "generator", "orphan", "x.cpp"))
        for path in ("web/web.cpp", "cli/main.cpp"):
            with open(os.path.join(root, "generator", path), "w", encoding="utf-8") as f:
                f.write('#include "db/db.h"\n' if path.startswith("web") else '#include "web/web.h"\n')
        if check(root):
            print("self-test: a mended tree still fails:\n  " + "\n  ".join(check(root)))
            return 1
    print("self-test: violations found and named; a clean tree passes")
    return 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) != 2:
        print(__doc__)
        return 2
    problems = check(argv[1])
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} arrow violation(s): add the DEPS if the arrow is intended, "
              "or move the code (see docs/architecture.md)")
        return 1
    print("module arrows: every include follows a direct link line")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
