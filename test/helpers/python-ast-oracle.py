"""Accuracy oracle for Clew's Python extractor: lists every def in each file with Python's own ast.

Usage: python3 python-ast-oracle.py FILE...   (or `--pick N MINBYTES MAXBYTES`: the first N
stdlib modules by sorted name within that size range, as a JSON list)
Prints JSON: {"files": {path: [[qualified_name, [param, ...]], ...]}, "errors": {path: message}}.
The qualified name is the dotted chain of enclosing classes and functions, as Clew's `container`.
Parameters are listed in source order: positional-only, regular, *args, keyword-only, **kwargs.
"""
import ast
import json
import os
import sys
import sysconfig


def functions(tree):
    out = []

    def visit(node, chain):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                a = child.args
                params = [p.arg for p in a.posonlyargs + a.args]
                if a.vararg:
                    params.append(a.vararg.arg)
                params += [p.arg for p in a.kwonlyargs]
                if a.kwarg:
                    params.append(a.kwarg.arg)
                out.append([".".join(chain + [child.name]), params])
                visit(child, chain + [child.name])
            elif isinstance(child, ast.ClassDef):
                visit(child, chain + [child.name])
            else:
                visit(child, chain)

    visit(tree, [])
    return out


def pick(n, min_bytes, max_bytes):
    root = sysconfig.get_paths()["stdlib"]
    names = sorted(f for f in os.listdir(root) if f.endswith(".py"))
    chosen = []
    for name in names:
        p = os.path.join(root, name)
        if min_bytes <= os.path.getsize(p) <= max_bytes:
            chosen.append(p)
        if len(chosen) == n:
            break
    return chosen


def main():
    args = sys.argv[1:]
    if args[:1] == ["--pick"]:
        print(json.dumps(pick(int(args[1]), int(args[2]), int(args[3]))))
        return
    result = {"files": {}, "errors": {}}
    for path in args:
        try:
            with open(path, "rb") as f:
                tree = ast.parse(f.read(), filename=path)
            result["files"][path] = functions(tree)
        except (SyntaxError, ValueError, OSError) as e:
            result["errors"][path] = str(e)
    print(json.dumps(result))


main()
